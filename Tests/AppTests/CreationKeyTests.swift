@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// A new nomination's form carries a key: sent again after a lost answer, or twice at once, it makes one
/// nomination, and the committee lands on it.
@Suite("Repeated sends of a new form")
struct CreationKeyTests {
    static func key(_ browser: Browser, _ category: String) async throws -> String {
        let page = try await browser.get("/nominations/new?category=\(category)")
        return try #require(page.matches(of: #"name="creation_key" value="([0-9a-f-]{36})""#).first)
    }

    static func count(_ app: Application) async throws -> (rows: Int, created: Int) {
        (try await Nomination.query(on: app.db).count(),
         try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.create").count())
    }

    @Test("the same form sent twice, or five times at once, makes one nomination; each send lands on it")
    func once() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let key = try await Self.key(kuaidi, "org")
            let form = Samples.form(for: .org) + [("creation_key", key)]
            let first = try await NominationTests.create(kuaidi, form)
            #expect(try await NominationTests.create(kuaidi, form) == first)
            #expect(try await Self.count(app) == (1, 1))

            // A person's form, sent five times at once: the duplicate check must not refuse the sends of the
            // nomination's own form.
            let memberKey = try await Self.key(kuaidi, "member")
            let member = Samples.memberForm() + [("creation_key", memberKey)]
            let ids = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await NominationTests.create(kuaidi, member) } }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await Self.count(app) == (2, 2))
        }
    }

    @Test("a new form gets a new key; without one, or with another committee's, each send is a nomination of its own")
    func keyIsTheForms() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            let key = try await Self.key(kuaidi, "org")
            #expect(try await Self.key(kuaidi, "org") != key)
            let mine = try await NominationTests.create(kuaidi, Samples.form(for: .org) + [("creation_key", key)])
            // The same key from another committee finds nothing of the first one's.
            let theirs = try await NominationTests.create(wuye, Samples.form(for: .org) + [("creation_key", key)])
            #expect(theirs != mine)
            #expect(try await Nomination.find(theirs, on: app.db)?.$committee.id != (try await Nomination.find(mine, on: app.db))?.$committee.id)
            // No key, or one that is not a key: two sends, two drafts (an organisation has no duplicate check).
            for junk in [nil, "abc", "../1"] {
                let form = Samples.form(for: .org) + (junk.map { [("creation_key", $0)] } ?? [])
                #expect(try await NominationTests.create(kuaidi, form) != (try await NominationTests.create(kuaidi, form)))
            }
            #expect(try await Self.count(app) == (8, 8))
        }
    }
}
