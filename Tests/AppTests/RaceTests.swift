@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// Two people acting on the same nominations at the same moment: exactly one wins, on a SQLite file and on
/// PostgreSQL, and the loser is told.
@Suite("Races")
struct RaceTests {
    /// A SQLite file as in production, or the shared PostgreSQL server of the suite.
    static func withRaceApp(checkInvariants: Bool = true, _ body: (Application, ManualClock) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-race-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database: DatabaseChoice? = onPostgres ? nil : .sqliteFile(path: folder + "/honors.sqlite")
        try await withHonorsApp(database: database, checkInvariants: checkInvariants, body)
    }

    static func race(_ requests: [@Sendable () async throws -> HTTPStatus]) async throws -> [HTTPStatus] {
        try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for request in requests { group.addTask { try await request() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("the administrator approves while the committee withdraws: exactly one wins", arguments: 0..<3)
    func approveRacingWithdraw(_ round: Int) async throws {
        try await Self.withRaceApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            let version = try await Flow.version(desk.id, app)
            let admin = desk.admin, kuaidi = desk.kuaidi, id = desk.id
            let statuses = try await Self.race([
                { try await admin.post("/nominations/\(id)/approve", [("alliance_opinion", "同意。"), ("alliance_opinion_date", "2024-05-20"),
                                                                     ("version", "\(version)")]).status },
                { try await kuaidi.post("/nominations/\(id)/withdraw", [("version", "\(version)")]).status },
            ])
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.contains { $0 == .conflict || $0 == .unprocessableEntity }, "the other is told: \(statuses)")
            let state = try #require(try await ReviewWorkflowTests.state(id, app))
            #expect(state == .approved || state == .withdrawn)
            let events = try await AuditEvent.query(on: app.db).filter(\.$objectID == "\(id)")
                .filter(\.$action ~~ ["nomination.approve", "nomination.withdraw"]).count()
            #expect(events == 1, "one transition, one event")
        }
    }

    @Test("two approvals racing for the committee's last slot: exactly one wins")
    func lastApprovalSlot() async throws {
        // Two submitted under a limit lowered to one afterwards: written directly, as the quota form refuses it.
        try await Self.withRaceApp(checkInvariants: false) { app, _ in
            let committee = try await app.committeeID("市快递行业党委")
            // Two submitted while the limit was 2; then the guiding number is lowered to 1.
            try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == 1).filter(\.$committee.$id == committee)
                .filter(\.$category == "member").set(\.$guiding, to: 2).update()
            let desk = try await ReviewWorkflowTests.desk(app)
            let second = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "李强", id: Samples.idNumber(sequence: 125)))
            #expect(try await Flow.submit(desk.kuaidi, second, app: app).status == .seeOther)
            try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == 1).filter(\.$committee.$id == committee)
                .filter(\.$category == "member").set(\.$guiding, to: 1).update()
            for id in [desk.id, second] { _ = try await Flow.integrity(desk.reviewer, id) }
            let other = try await Flow.signedIn(app, "boss2", role: .admin)
            let first = desk.id, v1 = try await Flow.version(first, app), v2 = try await Flow.version(second, app)
            let admin = desk.admin
            let statuses = try await Self.race([
                { try await admin.post("/nominations/\(first)/approve", [("alliance_opinion", "同意。"), ("alliance_opinion_date", "2024-05-20"),
                                                                        ("version", "\(v1)")]).status },
                { try await other.post("/nominations/\(second)/approve", [("alliance_opinion", "同意。"), ("alliance_opinion_date", "2024-05-20"),
                                                                         ("version", "\(v2)")]).status },
            ])
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(try await Nomination.query(on: app.db).filter(\.$state == "approved").count() == 1)
            #expect(try await App.Notification.query(on: app.db).filter(\.$kind == "approved").count() == 1)
        }
    }
}
