@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The audit trail as a hash chain: whole after ordinary use and under concurrent appends; each kind of
/// tampering found and named at the first bad event.
@Suite("Audit chain")
struct AuditChainTests {
    /// Eight events from ordinary use: accounts made, sign-ins, a failed one.
    static func events(_ app: Application) async throws {
        for name in ["amy", "bob", "cai"] { try await app.makeUser(name, role: .reviewer) }
        let browser = Browser(app)
        try await browser.signIn("amy")
        try await browser.signIn("bob", "wrong-password1")
        try await browser.signIn("cai")
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

    /// Tampering as someone with database access would: the triggers lifted, the change made, put back.
    static func tamper(_ app: Application, _ statements: [String]) async throws {
        let sql = Self.sql(app)
        try await AppendOnly.lift(on: sql)
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
        try await AppendOnly.restore(on: sql)
    }

    static func seqID(_ app: Application, _ seq: Int) async throws -> Int {
        try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == seq).first()?.id)
    }

    /// An outside verifier recomputes hashes from the layout documented on `AuditChain` (`honors-audit-v1`):
    /// this vector was computed from that description alone (Python's hashlib), not from Honors.
    @Test("an event's hash is the SHA-256 of the documented layout: length-prefixed fields, a missing value as FFFFFFFF")
    func documentedLayout() {
        let event = AuditEvent()
        event.occurredAt = Date(timeIntervalSince1970: 1_717_027_200.123)
        event.actorID = 3
        event.actorName = "张伟𠮷"
        event.actorRole = "committee"
        event.action = "nomination.create"
        event.objectType = "nomination"
        event.objectID = nil
        event.objectLabel = "王芳"
        event.committeeID = 5
        event.changes = #"[{"field":"name","new":"王芳"}]"#
        event.address = ""
        #expect(AuditChain.hash(event, seq: 7, prevHash: String(repeating: "ab", count: 32))
                == "3b84b085ad13cec1f4eacc8faa6a88ad2a036a25b94f8b6633adae8820d1e9dc")
    }

    @Test("after ordinary use the chain is whole from the first event to the head")
    func whole() async throws {
        try await withHonorsApp { app, _ in
            try await Self.events(app)
            let report = try await AuditVerifier.verify(on: app.db)
            let rows = try await AuditEvent.query(on: app.db).count()
            #expect(report.isWhole, "\(String(describing: report.problem))")
            #expect(report.count == rows && rows >= 6)
            #expect(report.head == (try await AuditChain.head(on: app.db)))
            let first = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == 1).first())
            #expect(first.prevHash == AuditChain.genesis)
        }
    }

    @Test("events appended many at once are stored field for field as single appends would be, and chained")
    func batch() async throws {
        try await withHonorsApp { app, clock in
            let actor = Actor(userID: nil, name: "系统", role: "system", address: "local")
            let events = try (0..<3).map { index in
                try Audit.event(actor: index == 1 ? .commandLine() : actor, action: "nomination.create", objectType: "nomination",
                                objectID: index == 2 ? nil : "\(index)", objectLabel: "王𠮷\(index)", committeeID: index == 0 ? 3 : nil,
                                changes: [FieldChange("name", old: nil, new: "王𠮷\(index)")], at: clock.now())
            }
            try await app.write { db in try await AuditChain.append(events, on: db) }
            let stored = try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.create").sort(\.$seq).all()
            #expect(stored.count == 3)
            for (made, read) in zip(events, stored) {
                #expect(read.occurredAt == made.occurredAt && read.actorID == made.actorID && read.actorName == made.actorName)
                #expect(read.objectID == made.objectID && read.objectLabel == made.objectLabel && read.committeeID == made.committeeID)
                #expect(read.changes == made.changes && read.address == made.address && read.hash == made.hash)
                #expect(read.fieldChanges.first?.new == made.fieldChanges.first?.new)
            }
            #expect(try await AuditVerifier.verify(on: app.db).isWhole)
        }
    }

    @Test("an altered field is found at its event, by honors check too")
    func altered() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            try await Self.tamper(app, ["UPDATE audit_events SET actor_name = 'someone' WHERE seq = 3"])
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.kind == .altered && problem.seq == 3)
            #expect(problem.detail.contains("第 3 条事件") && problem.detail.contains("已被修改"))
            #expect(try await InvariantCheck.run(app, on: app.db, at: Date()).map(\.rule) == ["audit"])
        }
    }

    @Test("a removed event is found where the gap begins; a removed last event by the head")
    func removed() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            try await Self.tamper(app, ["DELETE FROM audit_events WHERE seq = 3"])
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.kind == .removed && problem.seq == 4)
            #expect(problem.detail.contains("第 3 至 3 条事件缺失"))
        }
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            let last = try await AuditChain.head(on: app.db).count
            try await Self.tamper(app, ["DELETE FROM audit_events WHERE seq = \(last)"])
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.kind == .head)
        }
    }

    @Test("an event slipped in, with a place made for it and its own hash right, breaks the next one")
    func inserted() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            let count = try await AuditChain.head(on: app.db).count
            let second = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == 2).first())
            // Make room at place 3, then write a well-formed event there.
            var shift = (3...count).reversed().map { "UPDATE audit_events SET seq = \($0 + 1) WHERE seq = \($0)" }
            let forged = AuditEvent()
            forged.occurredAt = second.occurredAt
            forged.actorName = "forger"
            forged.actorRole = "admin"
            forged.action = "account.create"
            forged.objectType = "user"
            forged.objectLabel = "ghost"
            forged.changes = "[]"
            forged.address = "local"
            let hash = AuditChain.hash(forged, seq: 3, prevHash: second.hash!)
            shift.append("""
                INSERT INTO audit_events (occurred_at, actor_name, actor_role, action, object_type, object_label, changes, address, seq, prev_hash, hash)
                SELECT occurred_at, 'forger', 'admin', 'account.create', 'user', 'ghost', '[]', 'local', 3, '\(second.hash!)', '\(hash)'
                FROM audit_events WHERE seq = 2
                """)
            try await Self.tamper(app, shift)
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.seq == 3 || problem.seq == 4, "\(problem)")
            #expect(problem.kind == .outOfOrder)
        }
    }

    @Test("two events swapped are found at the first of them")
    func swapped() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            try await Self.tamper(app, ["UPDATE audit_events SET seq = -3 WHERE seq = 3",
                                        "UPDATE audit_events SET seq = 3 WHERE seq = 4",
                                        "UPDATE audit_events SET seq = 4 WHERE seq = -3"])
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.kind == .outOfOrder && problem.seq == 3)
        }
    }

    @Test("an event written around the application, without a place, is named")
    func unchained() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.events(app)
            try await Self.sql(app).raw("""
                INSERT INTO audit_events (occurred_at, actor_name, actor_role, action, object_type, object_label, changes, address)
                SELECT occurred_at, 'x', 'admin', 'account.create', 'user', 'y', '[]', 'local' FROM audit_events WHERE seq = 1
                """).run()
            let problem = try #require(try await AuditVerifier.verify(on: app.db).problem)
            #expect(problem.kind == .unchained)
        }
    }

    @Test("many requests at once append to one unbroken chain")
    func concurrentAppends() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-chain-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database: DatabaseChoice? = onPostgres ? nil : .sqliteFile(path: folder + "/honors.sqlite")
        try await withHonorsApp(database: database) { app, _ in
            try await app.makeUser("amy", role: .reviewer)
            let before = try await AuditChain.head(on: app.db).count
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<24 {
                    group.addTask { try await Browser(app).signIn("amy", n % 2 == 0 ? "Passw0rd1" : "wrong-password\(n)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(!statuses.contains(.internalServerError), "\(statuses)")
            let report = try await AuditVerifier.verify(on: app.db)
            #expect(report.isWhole, "\(String(describing: report.problem))")
            #expect(report.count >= before + 24)
        }
    }

    @Test("two instances sharing one PostgreSQL database append to one chain without forks", .enabled(if: onPostgres))
    func twoInstances() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("amy", role: .reviewer)
            let schema = try #require(try await Self.sql(app).raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String.self))
            let url = try #require(ProcessInfo.processInfo.environment["HONORS_TEST_DATABASE_URL"])
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("honors-second-\(UUID().uuidString)").path
            do {
                try await configure(other, database: .postgres(url: url, schema: schema, connectionsPerLoop: 2), dataDirectory: data)
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for n in 0..<20 {
                        let instance = n % 2 == 0 ? app : other
                        group.addTask { try await Browser(instance).signIn("amy", "wrong-password\(n)").status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(!statuses.contains(.internalServerError), "\(statuses)")
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try? await other.asyncShutdown()
            try? FileManager.default.removeItem(atPath: data)
            let report = try await AuditVerifier.verify(on: app.db)
            #expect(report.isWhole, "\(String(describing: report.problem))")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").count() == 20)
        }
    }

    @Test("the audit page shows the head and the last verification; the export holds the filtered events with their hashes")
    func pageAndExport() async throws {
        try await withHonorsApp { app, _ in
            try await Self.events(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let page = try await admin.get("/admin/audit")
            let head = try await AuditChain.head(on: app.db)
            #expect(page.text.contains("<code id=\"chain-head\">\(head.hash)</code>"))
            #expect(page.text.contains("尚未校验"))
            try await AuditVerification.record(try await AuditVerifier.verify(on: app.db), on: app)
            #expect(try await admin.get("/admin/audit").text.contains("<strong>完整</strong>"))

            let book = try XlsxReader.read(Data(buffer: try await admin.get("/admin/audit.xlsx?action=auth.sign_in").body))
            let sheet = try #require(book.sheets.first)
            let header = try #require(sheet.rows.first { $0.contains("哈希") })
            let rows = sheet.rows.filter { $0.contains("登录") }
            #expect(rows.count == 3, "amy, cai and boss signed in")
            let hashes = Set(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").all().compactMap(\.hash))
            #expect(Set(rows.map { $0[header.firstIndex(of: "哈希")!] }) == hashes)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.audit_export").count() == 1)
            #expect(try await admin.get("/admin/audit.xlsx?from=2024-13-01").status == .badRequest)
        }
    }

    @Test("each filter of the audit page (action, actor, committee, from, to, together) shows exactly its events, counted; a wrong day is told beside its field")
    func pageFilters() async throws {
        try await withHonorsApp { app, clock in
            try await Self.events(app)
            _ = try await app.makeNomination(committee: 2, name: "甲")
            clock.advance(by: 86_400)
            _ = try await app.makeNomination(committee: 3, name: "乙")
            try await Browser(app).signIn("amy")
            clock.advance(by: 86_400)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let events = try await AuditEvent.query(on: app.db).all()
            let today = DayStamp(clock.now()), yesterday = today.adding(days: -1)
            let cases: [(String, (AuditEvent) -> Bool)] = [
                ("action=auth.sign_in", { $0.action == "auth.sign_in" }),
                ("actor=amy", { $0.actorName == "amy" }),
                ("committee=3", { $0.committeeID == 3 }),
                ("from=\(yesterday)", { DayStamp($0.occurredAt) >= yesterday }),
                ("to=\(yesterday)", { DayStamp($0.occurredAt) <= yesterday }),
                ("from=\(yesterday)&to=\(yesterday)&action=auth.sign_in", { DayStamp($0.occurredAt) == yesterday && $0.action == "auth.sign_in" }),
            ]
            for (query, matches) in cases {
                let page = try await admin.get("/admin/audit?\(query)").text
                let shown = page.matches(of: /<tr><td>(\d+)<\/td><td class="nowrap">/).map { Int($0.output.1)! }
                let expected = events.filter(matches).compactMap(\.seq).sorted(by: >)
                #expect(!expected.isEmpty && shown == expected, "\(query)")
                #expect(page.contains("共 \(expected.count) 条"), "\(query)")
            }
            let wrong = try await admin.get("/admin/audit?from=2024-02-30&action=auth.sign_in").text
            // The wrong day stays in its field with the message beside it, and filters nothing.
            #expect(wrong.contains(#"value="2024-02-30"></label><span class="field-error">请按 YYYY-MM-DD 填写日期。</span>"#))
            #expect(wrong.contains("共 \(events.filter { $0.action == "auth.sign_in" }.count) 条"))
        }
    }
}
