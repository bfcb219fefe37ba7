@testable import App
import Fluent
import HonorsCore
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

    @Test("only local paths are followed after sign-in")
    func safeNext() {
        #expect(SignInController.safeNext("/campaigns/1") == "/campaigns/1")
        #expect(SignInController.safeNext("https://evil.example/") == "/")
        #expect(SignInController.safeNext("//evil.example/") == "/")
        #expect(SignInController.safeNext("/\\evil.example") == "/")
        #expect(SignInController.safeNext(nil) == "/")
    }
}
