@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

/// Committees, campaigns, quotas, extensions, 公示 days and the calendar are kept per instance under the token
/// of `reference_generation`: kept while it stands, read again as soon as any change, however made, gives it a
/// new one.
@Suite("Reference data kept per token")
struct ReferenceCacheTests {
    static func token(_ app: Application) async throws -> String {
        try #require(try await (app.db as! any SQLDatabase).raw("SELECT token FROM reference_generation").first())
            .decode(column: "token", as: String.self)
    }

    /// The triggers on `table` in this test's database (on PostgreSQL, in its own schema).
    static func triggers(on table: String, _ app: Application) async throws -> Set<String> {
        let sql = app.db as! any SQLDatabase
        let rows = app.db.isSQLite
            ? try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = \(bind: table)").all()
            : try await sql.raw("""
                SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relname = \(bind: table) AND c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
                """).all()
        return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
    }

    @Test("a change to any of the kept tables, by any statement, gives a new token; a nomination's or a notification's does not")
    func tokenFollowsChanges() async throws {
        try await withHonorsApp { app, _ in
            let sql = app.db as! any SQLDatabase
            let desk = try await ReviewWorkflowTests.desk(app)
            let changes: [(String, SQLQueryString)] = [
                ("committees", "UPDATE committees SET name = name || '新' WHERE id = 1"),
                ("campaigns", "UPDATE campaigns SET title = title || '新'"),
                ("campaign_quotas", "UPDATE campaign_quotas SET granted = granted + 1 WHERE committee_id = 1"),
                ("deadline_extensions", "INSERT INTO deadline_extensions (campaign_id, committee_id, until_on, reason, granted_by) VALUES (1, 1, '2024-06-07', '因故', 'boss')"),
                ("deadline_extensions", "DELETE FROM deadline_extensions"),
                ("publicities", """
                    INSERT INTO publicities (version, campaign_id, start_on, end_on, working_days, contact_unit, contact_phone, contact_address, started_by, started_at)
                    VALUES (1, 1, '2024-06-11', '2024-06-17', 5, '联盟', '010-1', '北京', 'boss', \(bind: Date()))
                    """),
                ("publicities", "DELETE FROM publicities"),
                ("calendar_years", "UPDATE calendar_years SET rest_days = rest_days"),
            ]
            var last = try await Self.token(app)
            for (table, statement) in changes {
                try await sql.raw(statement).run()
                let now = try await Self.token(app)
                #expect(now != last, "\(table)")
                last = now
            }
            // Every table has its trigger for every kind of change, not only those exercised above.
            for table in CreateReferenceGeneration.tables {
                let names = try await Self.triggers(on: table, app)
                let expected = app.db.isSQLite ? ["insert", "update", "delete"].map { "\(table)_reference_\($0)" }
                    : ["\(table)_reference", "\(table)_reference_truncate"]
                #expect(Set(expected).isSubset(of: names), "\(table): \(names)")
            }
            try await sql.raw("UPDATE nominations SET display_name = display_name || '新' WHERE id = \(bind: desk.id)").run()
            try await sql.raw("DELETE FROM notifications").run()
            #expect(try await Self.token(app) == last)
        }
    }

    @Test("pages read a committee's name once per token: kept while the token stands, renamed at once when it changes")
    func pagesFollowToken() async throws {
        try await withHonorsApp { app, _ in
            let sql = app.db as! any SQLDatabase
            let desk = try await ReviewWorkflowTests.desk(app)
            let committee = try await app.committeeID("市快递行业党委")
            #expect(try await desk.admin.get("/review").text.contains("市快递行业党委"))
            #expect(app.referenceCache.count > 0)
            // Renamed behind the triggers' back (the token put back): the page still shows what was kept.
            let kept = try await Self.token(app)
            try await sql.raw("UPDATE committees SET name = '市快递物流行业党委' WHERE id = \(bind: committee)").run()
            try await sql.raw("UPDATE reference_generation SET token = \(bind: kept)").run()
            #expect(try await desk.admin.get("/review").text.contains("<td>市快递行业党委</td>"))
            #expect(try await desk.admin.get("/nominations/\(desk.id)").text.contains("· 市快递行业党委 ·"), "a nomination's page names it as the desk does")
            // Renamed as any instance or command would: every page shows the new name on its next request.
            try await sql.raw("UPDATE committees SET name = '市快递物流行业党委' WHERE id = \(bind: committee)").run()
            #expect(try await desk.admin.get("/review").text.contains("<td>市快递物流行业党委</td>"))
            #expect(try await desk.admin.get("/nominations").text.contains("市快递物流行业党委"))
            #expect(try await desk.admin.get("/nominations/\(desk.id)").text.contains("· 市快递物流行业党委 ·"))
            #expect(try await desk.kuaidi.get("/").text.contains("市快递物流行业党委"))
        }
    }

    @Test("an extension granted shows on the nomination page at once: the committee may edit again")
    func extensionSeenAtOnce() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let committee = try await app.committeeID("市快递行业党委")
            clock.set(Date(timeIntervalSince1970: 1_717_300_000))  // 2024-06-02, after the deadline
            try await kuaidi.signIn("kuaidi")
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            #expect(try await kuaidi.get("/nominations/\(id)").text.contains(#"id="closed-note""#))
            let granted = try await admin.post("/campaigns/1/extensions", [
                ("committee_id", "\(committee)"), ("until_on", "2024-06-05"), ("reason", "材料盖章需要时间"),
            ])
            #expect(granted.status == .seeOther)
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(!page.text.contains(#"id="closed-note""#))
            #expect(page.text.contains(#"data-action="save""#), "editable again")
        }
    }

    @Test("a value is kept under its token; another token reads again and keeps only its own")
    func keptPerToken() async throws {
        let cache = ReferenceCache()
        var reads = 0
        func read(_ key: String, _ token: String) async throws -> Int {
            try await cache.value(key, token: token) { reads += 1; return reads }
        }
        #expect(try await read("a", "t1") == 1)
        #expect(try await read("a", "t1") == 1)
        #expect(try await read("b", "t1") == 2)
        #expect(try await read("a", "t2") == 3, "a new token reads again")
        #expect(cache.count == 1, "what was kept under the old token is gone")
        #expect(try await read("a", "t1") == 4, "a request that came with the old token reads too, and keeps nothing stale")
        #expect(try await read("a", "t2") == 5)
    }

    @Test("a campaign not found is read again each time, not kept: ids from URLs do not fill the cache")
    func notFoundNotKept() async throws {
        let cache = ReferenceCache()
        var reads = 0
        func find(_ id: Int) async throws -> String? {
            try await cache.valueIfFound("campaign-\(id)", token: "t") { () async throws -> String? in
                reads += 1
                return id == 1 ? "鄂党联发〔2024〕4号" : nil
            }
        }
        for id in [1, 1, 99, 99, 98] { _ = try await find(id) }
        #expect(reads == 4, "the found one once, each miss every time")
        #expect(cache.count == 1)
    }

    @Test("an answer that may be nil (a campaign not there) is read when not kept, and kept when it is nil")
    func optionalAnswers() async throws {
        let cache = ReferenceCache()
        var reads = 0
        func find(_ key: String) async throws -> Int? {
            try await cache.value(key, token: "t") { () async throws -> Int? in
                reads += 1
                return key == "there" ? 7 : nil
            }
        }
        #expect(try await find("there") == 7, "not kept yet: read, not taken for a kept nil")
        #expect(try await find("there") == 7)
        #expect(try await find("gone") == nil)
        #expect(try await find("gone") == nil)
        #expect(reads == 2)
    }
}
