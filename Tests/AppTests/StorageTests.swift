@testable import App
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("Storage: seed, migrations, concurrency, audit")
struct StorageTests {
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("honors-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("starting twice on the same SQLite file seeds once: one campaign, six committees, one admin")
    func seedIsIdempotent() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for _ in 1...2 {
            try await withHonorsApp(database: .sqliteFile(path: folder + "/honors.sqlite")) { app, _ async throws in
                #expect(try await Campaign.query(on: app.db).count() == 1)
                #expect(try await Committee.query(on: app.db).count() == 6)
                #expect(try await CampaignQuota.query(on: app.db).count() == 18)
                #expect(try await User.query(on: app.db).filter(\.$username == "admin").count() == 1)
            }
        }
    }

    @Test("the seeded campaign carries the notice's facts")
    func seededCampaign() async throws {
        try await withHonorsApp { app, _ in
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            #expect(campaign.documentNumber == "鄂党联发〔2024〕4号")
            #expect(campaign.awardYear == 2023)
            #expect(campaign.issuedOn == "2024-05-15")
            #expect(campaign.deadlineOn == "2024-05-30")
            #expect(campaign.contactUnit == "市个体私营经济组织党委")
            #expect(campaign.deedsTarget == 1000)
            #expect(campaign.memberWorkerExclusive)
            // End of 30 May in Beijing is 16:00 UTC that day.
            #expect(campaign.deadline.end == Date(timeIntervalSince1970: 1_717_084_800))
            #expect(campaign.isOpen(at: Date(timeIntervalSince1970: 1_717_084_799)))
            #expect(!campaign.isOpen(at: Date(timeIntervalSince1970: 1_717_084_800)))
        }
    }

    @Test("the first administrator is created once, must change the password, and is never stored in clear")
    func firstAdministrator() async throws {
        try await withHonorsApp { app, _ in
            let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first())
            #expect(admin.role == .admin)
            #expect(admin.mustChangePassword)
            #expect(admin.passwordHash.hasPrefix("$2"))
        }
    }

    @Test("concurrent read-modify-write transactions on a SQLite file all succeed, none lost")
    func concurrentWrites() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withHonorsApp(database: .sqliteFile(path: folder + "/honors.sqlite")) { app, _ in
            let user = try await app.makeUser("counter", role: .reviewer)
            let id = try user.requireID()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await app.write { db in
                            let fresh = try #require(try await User.find(id, on: db))
                            try await User.query(on: db).filter(\.$id == id)
                                .set(\.$version, to: fresh.version + 1).update()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await User.find(id, on: app.db)?.version == 41)
        }
    }

    @Test("concurrent sign-ins against a SQLite file never fail with 'database is locked'")
    func concurrentRequests() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withHonorsApp(database: .sqliteFile(path: folder + "/honors.sqlite")) { app, _ in
            // Three tries per account at once: under the 5 a burst may reserve (SignInGuard).
            for n in 0..<8 { try await app.makeUser("user\(n)", role: .reviewer) }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<24 {
                    group.addTask {
                        let browser = Browser(app)
                        return try await browser.signIn("user\(n % 8)", n % 3 == 0 ? "Wrong1234" : "Passw0rd1").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(!statuses.contains(.internalServerError))
            #expect(statuses.filter { $0 == .seeOther }.count == 16)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").count() == 16)
        }
    }

    @Test("the audit table refuses updates and deletes")
    func auditAppendOnly() async throws {
        try await withHonorsApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await AuditEvent.query(on: app.db).count() > 0)
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_events SET actor_name = 'x'").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_events").run()
            }
        }
    }

    @Test("sign-in, failure, sign-out, account and quota changes are all on record, readable by the admin")
    func auditTrail() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            try await Browser(app).signIn("boss", "Wrong1234")
            let admin = Browser(app)
            try await admin.signIn("boss")
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            var form: [(String, String)] = [("version", "\(campaign.version)")]
            for quota in try await CampaignQuota.query(on: app.db).all() {
                let value = quota.$committee.id == 3 && quota.category == "org" ? 4 : quota.guiding
                form.append(("q_\(quota.$committee.id)_\(quota.category)", "\(value)"))
            }
            #expect(try await admin.post("/campaigns/\(campaign.id!)/quotas", form).status == .seeOther)
            try await admin.post("/logout")
            let admin2 = Browser(app)
            try await admin2.signIn("boss")
            let page = try await admin2.get("/admin/audit")
            for label in ["登录", "登录失败", "退出登录", "修改名额", "创建账号"] {
                #expect(page.text.contains("<td>\(label)</td>"), "\(label)")
            }
            let filtered = try await admin2.get("/admin/audit?action=quota.update")
            #expect(filtered.text.contains("市快递行业党委 先进基层党组织"))
            #expect(!filtered.text.contains("<td>登录</td>"))
            let quota = try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == 3)
                .filter(\.$category == "org").first()
            #expect(quota?.guiding == 4)
        }
    }
}
