@testable import App
import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// 2024-05-20 10:00 Beijing time: inside the 2024 campaign, ten days before its deadline.
let campaignDay = Date(timeIntervalSince1970: 1_716_170_400)

/// Runs `body` against a fresh application: an in-memory SQLite database of its own, or, when
/// `HONORS_TEST_DATABASE_URL` is set, a private schema on that PostgreSQL server (dropped afterwards).
func withHonorsApp(
    at start: Date = campaignDay,
    database: DatabaseChoice? = nil,
    checkInvariants: Bool = true,
    _ body: (Application, ManualClock) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    let clock = ManualClock(start)
    app.clock = clock
    let postgresURL = ProcessInfo.processInfo.environment["HONORS_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let choice = database ?? postgresURL.map { DatabaseChoice.postgres(url: $0, schema: schema, connectionsPerLoop: 2) } ?? .sqliteMemory
    // Uploads and packages of one test never meet another's: each test has a data folder of its own.
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("honors-test-\(schema)").path
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    do {
        try await configure(app, database: choice, dataDirectory: dataDirectory)
        try await body(app, clock)
        // Whatever the test did, the data still holds every invariant (`honors check`), unless the test broke
        // one on purpose.
        if checkInvariants {
            let findings = try await InvariantCheck.run(app, on: app.db, at: clock.now())
            #expect(findings == [], "\(findings.map(\.detail))")
        }
    } catch {
        // A PostgreSQL error describes itself generically: the server's own message is in its reflection.
        print("withHonorsApp: \(String(reflecting: error))")
        await cleanUp(app, choice: choice, schema: schema)
        throw error
    }
    await cleanUp(app, choice: choice, schema: schema)
}

private func cleanUp(_ app: Application, choice: DatabaseChoice, schema: String) async {
    if case .postgres(_, let s?, _) = choice, s == schema, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
}

/// True when the suite runs on PostgreSQL.
var onPostgres: Bool { ProcessInfo.processInfo.environment["HONORS_TEST_DATABASE_URL"]?.isEmpty == false }

extension Application {
    /// Creates an account directly (no form), ready to sign in. An administrator comes with an authenticator
    /// enrolled (secret `Self.factorSecret(username)`), as every administrator has one after their first sign-in;
    /// `Browser.signIn` answers its code step.
    @discardableResult
    func makeUser(_ username: String, role: Role, committee: String? = nil, password: String = "Passw0rd1",
                  mustChange: Bool = false, factor: Bool? = nil) async throws -> User {
        let committeeModel = try await committee.asyncMap {
            try await Committee.query(on: db).filter(\.$name == $0).first()
        } ?? nil
        let hash = try await password.asyncHash(self)
        let user = try await AccountService(app: self, actor: .commandLine(), now: clock.now()).create(
            username: username, displayName: username, role: role, committee: committeeModel,
            passwordHash: hash, mustChangePassword: mustChange)
        if factor ?? (role == .admin) { try await enrolFactor(user) }
        return user
    }

    /// The authenticator secret tests give `username`.
    static func factorSecret(_ username: String) -> [UInt8] {
        Array(SHA256.hash(data: Data("factor:\(username)".utf8)).prefix(20))
    }

    /// Enrols `user`'s authenticator with `factorSecret`, as confirming a code on `/account/factor` does.
    func enrolFactor(_ user: User) async throws {
        let userID = try user.requireID(), box = secrets, now = clock.now(), username = user.username
        _ = try await write { db in
            let factor = UserFactor()
            factor.id = userID
            factor.secretSealed = try box.seal(Base32.encode(Self.factorSecret(username), padded: false))
            factor.secretKeyID = box.keyID
            factor.enabledAt = now
            factor.createdAt = now
            try await factor.create(on: db)
        }
    }

    /// A nomination of `committee` in the seeded campaign, written directly (a draft unless `state` says),
    /// with what reaching that state leaves behind and its creation on record, as the workflow would.
    func makeNomination(committee: Int, category: String = "member", name: String = "测试人",
                        state: NominationState = .draft) async throws -> Int {
        let nomination = Nomination()
        nomination.version = 1
        nomination.$campaign.id = 1
        nomination.$committee.id = committee
        nomination.category = category
        nomination.state = state.rawValue
        let now = clock.now()
        if NominationState.reachedAlliance.contains(state) { nomination.submittedAt = now }
        if Set([.approved, .rejected, .returned]).union(NominationState.afterApproval).contains(state) {
            nomination.recordDecision(by: "admin", at: now, reason: "测试")
        }
        if state == .approved || NominationState.afterApproval.contains(state) {
            nomination.allianceOpinion = "同意表彰。"
            nomination.allianceOpinionDate = DayStamp(now).description
            nomination.integrityResult = IntegrityResult.clear.rawValue
        }
        if state == .returned {
            let fixBy = DayStamp(now).adding(days: 3)
            nomination.fixBy = fixBy.description
            nomination.fixUntil = fixBy.end
        }
        nomination.displayName = name
        nomination.values = ["name": name]
        nomination.attestationRecords = [:]
        let made = nomination
        return try await write { db in
            try await made.create(on: db)
            try await Audit.record(on: db, actor: .commandLine(), action: "nomination.create", objectType: "nomination",
                                   objectID: "\(try made.requireID())", objectLabel: name, committeeID: committee, at: now)
            return try made.requireID()
        }
    }

    /// Gives a nomination a person's ID number and a phone, sealed and hashed as a save does.
    func seal(_ id: Int, idNumber: String, phone: String = "18647176667") async throws {
        let box = secrets
        try await Nomination.query(on: db).filter(\.$id == id)
            .set(\.$idNumberSealed, to: try box.seal(idNumber)).set(\.$idHash, to: box.keyedHash(idNumber))
            .set(\.$phoneSealed, to: try box.seal(phone)).set(\.$secretKeyID, to: box.keyID).update()
    }

    /// Sets a committee's guiding number for a category, for tests that make more nominations than 附件1 allows.
    func setGuiding(_ guiding: Int, committee: Int, category: String = "member") async throws {
        try await CampaignQuota.query(on: db).filter(\.$campaign.$id == 1).filter(\.$committee.$id == committee)
            .filter(\.$category == category).set(\.$guiding, to: guiding).update()
    }

    func committeeID(_ name: String) async throws -> Int {
        try #require(try await Committee.query(on: db).filter(\.$name == name).first()?.id)
    }
}

private extension String {
    func asyncHash(_ app: Application) async throws -> String { try await app.password.async.hash(self) }
}
