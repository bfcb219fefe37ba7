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

    /// The key in the form of `page` that posts to `action`.
    static func key(in page: TestingHTTPResponse, action: String) throws -> String {
        let text = page.body.string
        let form = try #require(text.range(of: "action=\"\(action)\""), "no form posts to \(action)")
        let rest = String(text[form.upperBound...])
        let match = try #require(rest.firstMatch(of: /name="creation_key" value="([0-9a-f-]{36})"/))
        return String(match.1)
    }

    @Test("a quota request, an account, a committee, a campaign copy and a deadline extension: each form sent twice makes one record, once on record")
    func everyCreatingForm() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            func events(_ action: String) async throws -> Int {
                try await AuditEvent.query(on: app.db).filter(\.$action == action).count()
            }

            // A quota request: refused first (the key comes back with the typed values), then sent three times at once.
            let requestForm = [("category", "member"), ("extra", "1"), ("reason", "本党委另有一名同志在疫情期间坚守一线，事迹特别突出。")]
            let quotaKey = try Self.key(in: try await kuaidi.get("/quota-requests"), action: "/quota-requests")
            let refused = try await kuaidi.post("/quota-requests", [("category", "member"), ("extra", "0"), ("reason", "短"),
                                                                   ("creation_key", quotaKey)])
            #expect(refused.status == .unprocessableEntity)
            #expect(try Self.key(in: refused, action: "/quota-requests") == quotaKey)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<3 { group.addTask { try await kuaidi.post("/quota-requests", requestForm + [("creation_key", quotaKey)]).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses == [.seeOther, .seeOther, .seeOther])
            #expect(try await QuotaRequest.query(on: app.db).count() == 1)
            #expect(try await events("quota_request.create") == 1)
            // A new form is a new request.
            let secondKey = try Self.key(in: try await kuaidi.get("/quota-requests"), action: "/quota-requests")
            #expect(secondKey != quotaKey)
            _ = try await kuaidi.post("/quota-requests", requestForm + [("creation_key", secondKey)])
            #expect(try await QuotaRequest.query(on: app.db).count() == 2)

            // An account: the second send lands on the account, not on "用户名已被使用".
            let accountsBefore = try await events("account.create")
            let userKey = try Self.key(in: try await admin.get("/admin/users/new"), action: "/admin/users")
            let userForm = AccountFormTests.validForm(["username": "kuaidi09"]) + [("creation_key", userKey)]
            let made = try await admin.post("/admin/users", userForm)
            let again = try await admin.post("/admin/users", userForm)
            #expect(made.status == .seeOther && again.status == .seeOther)
            #expect(again.headers.first(name: .location) == made.headers.first(name: .location))
            #expect(try await User.query(on: app.db).filter(\.$username == "kuaidi09").count() == 1)
            #expect(try await events("account.create") == accountsBefore + 1)
            // Without the key the same name is refused, as before.
            #expect(try await admin.post("/admin/users", AccountFormTests.validForm(["username": "kuaidi09"])).status == .unprocessableEntity)

            // A committee.
            let committees = try await Committee.query(on: app.db).count()
            let committeeKey = try Self.key(in: try await admin.get("/committees"), action: "/committees")
            for _ in 0..<2 {
                #expect(try await admin.post("/committees", [("name", "市冷链物流行业党委"), ("creation_key", committeeKey)]).status == .seeOther)
            }
            #expect(try await Committee.query(on: app.db).count() == committees + 1)
            #expect(try await events("committee.create") == 1)

            // A campaign copy: the second send lands on the copy, not on "文号已被使用".
            let copyKey = try Self.key(in: try await admin.get("/campaigns/1/copy"), action: "/campaigns/1/copy")
            let copyForm = CampaignTests.copyForm() + [("creation_key", copyKey)]
            let copied = try await admin.post("/campaigns/1/copy", copyForm)
            let copiedAgain = try await admin.post("/campaigns/1/copy", copyForm)
            #expect(copied.status == .seeOther)
            #expect(copiedAgain.headers.first(name: .location) == copied.headers.first(name: .location))
            #expect(try await Campaign.query(on: app.db).count() == 2)

            // A deadline extension.
            let extensionKey = try Self.key(in: try await admin.get("/campaigns/1"), action: "/campaigns/1/extensions")
            let extensionForm = [("committee_id", "3"), ("until_on", "2024-06-05"), ("reason", "疫情封控，材料无法按时盖章"),
                                 ("creation_key", extensionKey)]
            for _ in 0..<2 { #expect(try await admin.post("/campaigns/1/extensions", extensionForm).status == .seeOther) }
            #expect(try await DeadlineExtension.query(on: app.db).count() == 1)
            #expect(try await events("deadline.extend") == 1)

            // One key per record made: two quota requests, an account, a committee, a copy, an extension.
            #expect(try await CreationKeyRecord.query(on: app.db).count() == 6)
        }
    }
}
