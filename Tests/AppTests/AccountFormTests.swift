@testable import App
import Fluent
import HonorsCore
import Testing
import Vapor
import VaporTesting

@Suite("Account forms and bad input")
struct AccountFormTests {
    static func validForm(_ overrides: [String: String] = [:]) -> [(String, String)] {
        var fields = ["username": "kuaidi01", "display_name": "快递党委经办人", "role": "committee",
                      "committee_id": "3", "password": "Kuaidi2024go"]
        for (k, v) in overrides { fields[k] = v }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func signedInAdmin(_ app: Application) async throws -> Browser {
        try await app.makeUser("boss", role: .admin)
        let browser = Browser(app)
        try await browser.signIn("boss")
        return browser
    }

    @Test("an administrator creates a committee account, recorded in the audit trail")
    func create() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            let response = try await admin.post("/admin/users", Self.validForm())
            #expect(response.status == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "kuaidi01").first())
            #expect(user.role == .committee)
            #expect(user.$committee.id == 3)
            #expect(user.mustChangePassword)
            #expect(user.passwordHash != "Kuaidi2024go" && user.passwordHash.hasPrefix("$2"))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "account.create")
                .filter(\.$objectLabel == "kuaidi01").first())
            #expect(event.actorName == "boss")
            #expect(!event.changes.contains("Kuaidi2024go"))
        }
    }

    @Test("bad usernames get a message beside the field, and nothing is stored",
          arguments: ["", String(repeating: "a", count: 10_000), "ab\u{7}c\u{0}d", "x'; DROP TABLE users; --",
                      "<script>alert(1)</script>", "张三", "a b"])
    func badUsername(_ username: String) async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            let before = try await User.query(on: app.db).count()
            let response = try await admin.post("/admin/users", Self.validForm(["username": username]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("class=\"field-error\""))
            #expect(!response.text.contains("<script>alert(1)</script>"))
            #expect(try await User.query(on: app.db).count() == before)
            // What the user typed in the other fields is still there.
            #expect(response.text.contains("value=\"快递党委经办人\""))
        }
    }

    @Test("HTML and SQL in every field are refused or stored as plain text, never run")
    func htmlAndSQLEverywhere() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            // Short enough for a display name (30), so it is stored and its escaping is what is tested.
            let payload = "<img src=x onerror=alert(1)>'"
            for field in ["display_name", "role", "committee_id", "password"] {
                let response = try await admin.post("/admin/users", Self.validForm(["username": "u\(field.count)x",
                                                                                  field: payload]))
                #expect(!response.text.contains("<img src=x"), "\(field) echoed unescaped")
                if field == "password" {
                    // Any characters make a password; it is only ever stored as a bcrypt hash.
                    #expect(response.status == .seeOther)
                    let user = try await User.query(on: app.db).filter(\.$username == "u\(field.count)x").first()
                    #expect(user?.passwordHash.hasPrefix("$2") == true)
                } else if field == "display_name" {
                    // A display name may hold any text: stored as typed, shown escaped.
                    #expect(response.status == .seeOther)
                    let list = try await admin.get("/admin/users")
                    #expect(list.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
                    #expect(!list.text.contains("<img src=x"))
                } else {
                    #expect(response.status == .unprocessableEntity, "\(field)")
                    #expect(!response.fieldErrors.isEmpty, "\(field)")
                }
            }
            #expect(try await User.query(on: app.db).count() == 4)
        }
    }

    @Test("control characters are stripped from names; a 10 000-character name is refused")
    func controlCharacters() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            _ = try await admin.post("/admin/users", Self.validForm(["display_name": "快递\u{0B}党委\u{200B}经办人\u{7}"]))
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "kuaidi01").first())
            #expect(user.displayName == "快递党委经办人")
            let long = try await admin.post("/admin/users", Self.validForm(["username": "other1",
                                                                           "display_name": String(repeating: "长", count: 10_000)]))
            #expect(long.status == .unprocessableEntity)
            #expect(long.fieldErrors.contains("姓名或称呼最多 30 个字。"))
        }
    }

    @Test("rare characters in a display name survive the round trip")
    func rareCharacters() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            _ = try await admin.post("/admin/users", Self.validForm(["display_name": "阿卜杜热合曼·𠮷𬌗"]))
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "kuaidi01").first())
            #expect(user.displayName == "阿卜杜热合曼·𠮷𬌗")
            #expect(try await admin.get("/admin/users").text.contains("阿卜杜热合曼·𠮷𬌗"))
        }
    }

    @Test("a committee account needs a committee; an alliance account gets none")
    func committeeRequired() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            let missing = try await admin.post("/admin/users", Self.validForm(["committee_id": ""]))
            #expect(missing.fieldErrors.contains("行业党委经办人必须选择所属行业党委。"))
            let reviewer = try await admin.post("/admin/users", Self.validForm(["username": "rev1", "role": "reviewer"]))
            #expect(reviewer.status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$username == "rev1").first()?.$committee.id == nil)
        }
    }

    @Test("a 73-byte password is refused, never truncated; 72 bytes are accepted")
    func passwordLength() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            let long = String(repeating: "a1", count: 36) + "b"  // 73 bytes
            let refused = try await admin.post("/admin/users", Self.validForm(["password": long]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fieldErrors.first?.contains("72") == true)
            let exact = String(repeating: "a1", count: 36)  // 72 bytes
            #expect(try await admin.post("/admin/users", Self.validForm(["password": exact])).status == .seeOther)
            // The same rule on the password-change form; 24 Chinese characters plus a digit are 73 bytes.
            let change = try await admin.post("/account/password", [
                ("current_password", "Passw0rd1"), ("new_password", String(repeating: "密", count: 24) + "1"),
                ("confirm_password", String(repeating: "密", count: 24) + "1"),
            ])
            #expect(change.status == .unprocessableEntity)
            #expect(change.fieldErrors.first?.contains("72") == true)
        }
    }

    @Test("two administrators editing one account: the second, stale save is refused and shown")
    func staleSave() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await signedInAdmin(app)
            let target = try await app.makeUser("kuaidi01", role: .committee, committee: "市快递行业党委")
            let version = target.version
            let first = try await admin.post("/admin/users/\(target.id!)", [
                ("display_name", "第一次"), ("role", "committee"), ("committee_id", "3"), ("version", "\(version)"),
            ])
            #expect(first.status == .seeOther)
            let second = try await admin.post("/admin/users/\(target.id!)", [
                ("display_name", "第二次"), ("role", "committee"), ("committee_id", "3"), ("version", "\(version)"),
            ])
            #expect(second.status == .conflict)
            #expect(second.text.contains("已被他人修改"))
            #expect(second.text.contains("第二次"), "the refused text is shown so it is not lost")
            #expect(try await User.find(target.id, on: app.db)?.displayName == "第一次")
        }
    }
}
