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

    @Test("signed in, the token is bound to the session: a planted cookie, the bare cookie or another session's token fail")
    func boundToSession() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let victim = Browser(app)
            try await victim.signIn("boss")
            let cookie = try #require(victim.cookies[CSRFMiddleware.cookieName])
            // The bare cookie value, as plain double-submit would accept.
            let bare = try await victim.post("/committees", [("name", "假党委一"), ("_csrf", cookie)], csrf: false)
            #expect(bare.status == .forbidden)
            // An attacker plants their own cookie value in the victim's browser and sends it in the form.
            victim.setCookie(CSRFMiddleware.cookieName, "planted-token-planted-token-planted-token-x")
            let planted = try await victim.post("/committees", [("name", "假党委二"), ("_csrf", "planted-token-planted-token-planted-token-x")],
                                                csrf: false)
            #expect(planted.status == .forbidden)
            victim.setCookie(CSRFMiddleware.cookieName, cookie)
            // Another session of the same account, same cookie token: its forms do not pass here.
            let other = Browser(app)
            try await other.signIn("boss")
            let foreign = CSRFMiddleware.formToken(cookie: cookie, session: SessionAuthenticator.tokenHash(
                try #require(other.cookies[SessionAuthenticator.cookieName])))
            #expect(try await victim.post("/committees", [("name", "假党委三"), ("_csrf", foreign)], csrf: false).status == .forbidden)
            // The page's own token passes.
            let page = try await victim.get("/committees")
            let token = try #require(page.matches(of: #"name="_csrf" value="([^"]+)""#).first)
            #expect(token == victim.csrfField && token != cookie)
            #expect(try await victim.post("/committees", [("name", "真党委"), ("_csrf", token)], csrf: false).status == .seeOther)
            #expect(try await Committee.query(on: app.db).filter(\.$name ~~ ["假党委一", "假党委二", "假党委三"]).count() == 0)
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
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS over plain HTTP")
            }
            // Served over HTTPS (secure cookies on): HSTS on every answer.
            app.honors.secureCookies = true
            let secure = try await Browser(app).get("/login")
            #expect(secure.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=31536000") == true)
            app.honors.secureCookies = false
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
            // From a trusted proxy, the last entry; an empty last entry names nobody, not the proxy itself.
            app.honors.trustedProxies.insert("unknown")
            #expect(request.clientAddress == "6.6.6.6")
            request.headers.replaceOrAdd(name: "X-Forwarded-For", value: "6.6.6.6, ")
            #expect(request.clientAddress == "unknown")
            app.honors.trustedProxies = ["127.0.0.1"]
            #expect(request.clientAddress == "unknown", "the test request has no socket address")
        }
    }

    @Test("healthz answers 200 when the database answers")
    func health() async throws {
        try await withHonorsApp { app, _ in
            let response = try await Browser(app).get("/healthz")
            #expect(response.status == .ok)
        }
    }

    @Test("before sign-in no body over 16 KB is taken, even on an upload route; signed in, the route's own limit holds")
    func anonymousBodies() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let scan = Samples.png(width: 1240, height: 1754) + Data(count: 100_000)
            #expect(scan.count > CSRFMiddleware.anonymousBodyLimit)
            let stranger = Browser(app)
            let refused = try await stranger.upload("/nominations/\(id)/scan", field: "scan[]", filename: "扫描件.png",
                                                    data: scan, contentType: "image/png")
            #expect(refused.status == .payloadTooLarge)
            #expect(refused.text.contains("您尚未登录或登录已过期"))
            let bigSignIn = try await stranger.post("/login", [("username", "kuaidi"), ("password", String(repeating: "x", count: 20_000))])
            #expect(bigSignIn.status == .payloadTooLarge)
            // The same file from the signed-in operator is read (and answered on its merits).
            let taken = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "扫描件.png",
                                                data: scan, contentType: "image/png")
            #expect(taken.status != .payloadTooLarge)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in_failed").count() == 0, "the big sign-in was never tried")
        }
    }
}
