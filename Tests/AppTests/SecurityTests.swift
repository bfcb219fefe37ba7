@testable import App
import Fluent
import HonorsCore
import Testing
import Vapor
import VaporTesting

@Suite("CSRF and security headers")
struct SecurityTests {
    @Test("a POST without the CSRF token gets a Chinese 403 page and changes nothing")
    func missingToken() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let browser = Browser(app)
            try await browser.signIn("boss")
            let forged = try await browser.post("/admin/users", [
                ("username", "mallory"), ("role", "admin"), ("password", "Mallory2024"),
            ], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("安全校验失败"))
            #expect(try await User.query(on: app.db).filter(\.$username == "mallory").count() == 0)
        }
    }

    @Test("a POST with another browser's token is refused")
    func foreignToken() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let victim = Browser(app)
            try await victim.signIn("boss")
            let attacker = Browser(app)
            try await attacker.get("/login")
            let attackerToken = try #require(attacker.cookies[CSRFMiddleware.cookieName])
            let forged = try await victim.post("/committees", [("name", "假党委"), ("_csrf", attackerToken)], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await Committee.query(on: app.db).filter(\.$name == "假党委").count() == 0)
        }
    }

    @Test("even the sign-in form needs the token")
    func loginNeedsToken() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("alice", role: .reviewer)
            let response = try await Browser(app).post("/login", [("username", "alice"), ("password", "Passw0rd1")],
                                                        csrf: false)
            #expect(response.status == .forbidden)
        }
    }

    @Test("every response carries the security headers; pages are lang=zh-CN")
    func headers() async throws {
        try await withHonorsApp { app, _ in
            for path in ["/login", "/healthz", "/does-not-exist", "/css/app.css"] {
                let response = try await Browser(app).get(path)
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(path)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(path)")
            }
            let login = try await Browser(app).get("/login")
            #expect(login.text.contains("<html lang=\"zh-CN\">"))
            #expect(!login.text.contains("<script>"), "no inline script")
            let missing = try await Browser(app).get("/does-not-exist")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("未找到"))
        }
    }

    @Test("a forwarded address is believed only from a configured proxy")
    func clientAddress() async throws {
        try await withHonorsApp { app, _ in
            let request = Request(application: app, method: .GET, url: "/", on: app.eventLoopGroup.next())
            request.headers.add(name: "X-Forwarded-For", value: "6.6.6.6")
            #expect(request.clientAddress != "6.6.6.6")
        }
    }

    @Test("healthz answers 200 when the database answers")
    func health() async throws {
        try await withHonorsApp { app, _ in
            let response = try await Browser(app).get("/healthz")
            #expect(response.status == .ok)
        }
    }
}
