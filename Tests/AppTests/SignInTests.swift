@testable import App
import Fluent
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("Sign-in, lockout and sessions")
struct SignInTests {
    @Test("the right password signs in and lands on the dashboard")
    func signIn() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            let browser = Browser(app)
            let response = try await browser.signIn("alice")
            #expect(response.status == .seeOther)
            #expect(response.location == "/")
            #expect(try await browser.get("/").status == .ok)
        }
    }

    @Test("unknown user and wrong password get the same message")
    func sameMessage() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            let wrongPassword = try await Browser(app).signIn("alice", "Wrong1234")
            let noSuchUser = try await Browser(app).signIn("nobody", "Wrong1234")
            #expect(wrongPassword.status == .unauthorized)
            #expect(noSuchUser.status == .unauthorized)
            #expect(wrongPassword.text.contains(SignInController.failureMessage))
            #expect(noSuchUser.text.contains(SignInController.failureMessage))
        }
    }

    @Test("five failures lock the account for 15 minutes, even against the right password")
    func lockout() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("alice", role: .reviewer)
            for _ in 1...4 { try await Browser(app).signIn("alice", "Wrong1234") }
            // Four failures: still open.
            #expect(try await Browser(app).signIn("alice").status == .seeOther)
            for _ in 1...5 { try await Browser(app).signIn("alice", "Wrong1234") }
            let locked = try await Browser(app).signIn("alice")
            #expect(locked.status == .unauthorized)
            #expect(locked.text.contains(SignInController.failureMessage))
            clock.advance(by: 14 * 60)
            #expect(try await Browser(app).signIn("alice").status == .unauthorized)
            clock.advance(by: 61)
            #expect(try await Browser(app).signIn("alice").status == .seeOther)
            let lockEvents = try await AuditEvent.query(on: app.db).filter(\.$action == "auth.locked").count()
            #expect(lockEvents == 1)
        }
    }

    @Test("signing in replaces the session id the browser had")
    func rotation() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            try await app.makeUser("bob", role: .reviewer)
            let browser = Browser(app)
            try await browser.signIn("alice")
            let first = try #require(browser.cookies[SessionAuthenticator.cookieName])
            try await browser.signIn("bob")
            let second = try #require(browser.cookies[SessionAuthenticator.cookieName])
            #expect(first != second)
            // The earlier id no longer opens anything.
            let thief = Browser(app)
            thief.setCookie(SessionAuthenticator.cookieName, first)
            #expect(try await thief.get("/").status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("a session ends after 30 idle minutes")
    func idleExpiry() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("alice", role: .reviewer)
            let browser = Browser(app)
            try await browser.signIn("alice")
            clock.advance(by: 29 * 60)
            #expect(try await browser.get("/").status == .ok)
            clock.advance(by: 29 * 60)
            #expect(try await browser.get("/").status == .ok, "activity keeps the session alive")
            clock.advance(by: 31 * 60)
            let expired = try await browser.get("/")
            #expect(expired.status == .seeOther)
            #expect(expired.location?.hasPrefix("/login") == true)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("a session ends 12 hours after sign-in however active")
    func absoluteExpiry() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("alice", role: .reviewer)
            let browser = Browser(app)
            try await browser.signIn("alice")
            for _ in 0..<(12 * 60 / 20 - 1) {
                clock.advance(by: 20 * 60)
                #expect(try await browser.get("/").status == .ok)
            }
            clock.advance(by: 20 * 60)
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test("signing out ends the session on the server")
    func signOut() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            let browser = Browser(app)
            try await browser.signIn("alice")
            let token = try #require(browser.cookies[SessionAuthenticator.cookieName])
            #expect(try await browser.post("/logout").location == "/login")
            let replay = Browser(app)
            replay.setCookie(SessionAuthenticator.cookieName, token)
            #expect(try await replay.get("/").status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_out").count() == 1)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Lax, and not readable in the database")
    func cookieFlags() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            let response = try await Browser(app).signIn("alice")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix("honors_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let token = String(cookie.dropFirst("honors_session=".count).prefix { $0 != ";" })
            #expect(try await UserSession.find(token, on: app.db) == nil)
        }
    }

    @Test("a disabled account cannot sign in, and its open sessions end")
    func disabledAccount() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let alice = try await app.makeUser("alice", role: .reviewer)
            let aliceBrowser = Browser(app)
            try await aliceBrowser.signIn("alice")
            let admin = Browser(app)
            try await admin.signIn("boss")
            #expect(try await admin.post("/admin/users/\(alice.id!)/disable").status == .seeOther)
            #expect(try await aliceBrowser.get("/").status == .seeOther)
            #expect(try await Browser(app).signIn("alice").status == .unauthorized)
        }
    }

    @Test("a new account must change its password before anything else")
    func forcedChange() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer, mustChange: true)
            let browser = Browser(app)
            #expect(try await browser.signIn("alice").location == "/account/password")
            #expect(try await browser.get("/campaigns").location == "/account/password")
            let changed = try await browser.post("/account/password", [
                ("current_password", "Passw0rd1"), ("new_password", "Better2024"), ("confirm_password", "Better2024"),
            ])
            #expect(changed.location == "/")
            #expect(try await browser.get("/campaigns").status == .ok)
        }
    }

    @Test("only local paths are followed after sign-in, whatever the encoding: a list of open-redirect payloads")
    func safeNext() {
        #expect(SignInController.safeNext("/campaigns/1") == "/campaigns/1")
        #expect(SignInController.safeNext("/nominations?state=submitted") == "/nominations?state=submitted")
        #expect(SignInController.safeNext("/nominations?q=张") == "/nominations?q=%E5%BC%A0")
        #expect(SignInController.safeNext(nil) == "/")
        let payloads = [
            "https://evil.example/", "http:evil.example", "//evil.example/", "///evil.example", "////evil.example",
            "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
            "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5c%5cevil.example",
            "/%09/evil.example", "/%0a/evil.example", "/%0d%0aSet-Cookie:%20a=b", "/%252F%252Fevil.example",
            "/%25252F%25252Fevil.example", "/./evil", "/../evil", "/%2e%2e/%2e%2e//evil.example", "/.%2e/evil",
            "/\u{FF0F}evil.example", "/%EF%BC%8Fevil.example", "/\u{2215}evil.example", "javascript:alert(1)",
            "/ /evil.example", " //evil.example", "/\u{0}//evil.example", "/login?next=//evil.example", "",
            "data:text/html,x", "/\u{3000}/evil.example", "@evil.example", "/@evil.example/..//x",
        ]
        for payload in payloads {
            let next = SignInController.safeNext(payload)
            #expect(next == "/", "\(payload.debugDescription) → \(next)")
        }
    }

    @Test("a burst of parallel wrong guesses gets no more than 5 tries, and the right password in the burst is refused")
    func burst() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { try await Browser(app).signIn("alice", "Wrong1234") } }
                try await group.waitForAll()
            }
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").all()
            let counted = failures.filter { $0.fieldChanges.contains { $0.field == "result" && $0.new == "密码错误" } }
            #expect(counted.count == SignInPolicy.maximumFailures, "only 5 passwords compared of 20")
            #expect(failures.count == 20, "every try on record")
            #expect(try await Browser(app).signIn("alice").status == .unauthorized, "locked against the right password")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.locked").count() == 1)
        }
    }

    @Test("lockout is per account and address: a guesser elsewhere cannot keep the owner out; one address trying many accounts is slowed")
    func perAddress() async throws {
        try await withHonorsApp { app, _ in
            app.honors.trustedProxies.insert("unknown")
            try await app.makeUser("alice", role: .reviewer)
            let attacker = Browser(app), owner = Browser(app)
            attacker.forwardedFor = "203.0.113.9"
            owner.forwardedFor = "198.51.100.7"
            for _ in 1...6 { try await attacker.signIn("alice", "Wrong1234") }
            #expect(try await attacker.signIn("alice").status == .unauthorized, "locked for the guesser's address")
            #expect(try await owner.signIn("alice").status == .seeOther, "the owner signs in from their own")

            // The administrator sees the lock and lifts it, on record.
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            admin.forwardedFor = "198.51.100.8"
            try await admin.signIn("boss")
            let alice = try #require(try await User.query(on: app.db).filter(\.$username == "alice").first())
            #expect(try await admin.get("/admin/users/\(alice.id!)").body.string.contains("解除登录锁定"))
            #expect(try await admin.post("/admin/users/\(alice.id!)/unlock").status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.unlock").count() == 1)
            #expect(try await attacker.signIn("alice").status == .seeOther)

            // Many accounts from one address: after 20 failures it waits, whatever the account.
            let spray = Browser(app)
            spray.forwardedFor = "192.0.2.44"
            for n in 0..<SignInPolicy.maximumFailuresPerAddress { try await spray.signIn("user\(n)", "Wrong1234") }
            let slowed = try await spray.signIn("boss")
            #expect(slowed.status == .tooManyRequests)
            #expect(slowed.text.contains("失败次数过多"))
        }
    }

    @Test("a failed sign-in with a name that is no account does not keep what was typed")
    func unknownNameNotStored() async throws {
        try await withHonorsApp { app, _ in
            try await Browser(app).signIn("Passw0rd-typed-here", "whatever1")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").first())
            #expect(event.objectLabel == "（无此账号）" && event.actorName.isEmpty)
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT * FROM audit_events").all()
            for row in rows {
                for column in row.allColumns {
                    let text = (try? row.decode(column: column, as: String?.self)) ?? nil
                    #expect(!(text ?? "").lowercased().contains("passw0rd-typed-here"), "\(column)")
                }
            }
        }
    }

    @Test("expired sessions are removed by the sweep")
    func sweep() async throws {
        try await withHonorsApp { app, clock in
            try await app.makeUser("alice", role: .reviewer)
            try await Browser(app).signIn("alice")
            #expect(try await UserSession.query(on: app.db).count() == 1)
            clock.advance(by: SignInPolicy.idleTimeout + 1)
            try await app.removeExpiredSignIns(now: clock.now())
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }
}
