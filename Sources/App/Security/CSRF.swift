import Crypto
import Foundation
import Vapor

/// Cross-site request forgery protection for every state-changing request.
///
/// Each browser holds a random token in an HttpOnly cookie; every form repeats it in a hidden `_csrf` field
/// (or the `X-CSRF-Token` header). A forged request from another site cannot read the cookie, so it cannot
/// repeat the token. The token is replaced at sign-in and sign-out.
///
/// Signed in, the form's token is bound to the session it was issued to: HMAC-SHA256 of the session's id
/// (the hash of its cookie) under the cookie's token, base64url. A token planted in a browser's cookie (from a
/// neighbouring subdomain, say) is of no use without the victim's session, and a form from another session
/// does not pass.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "honors_csrf"
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[Self.cookieName]?.string
        let token = existing.flatMap { $0.count == 43 ? $0 : nil } ?? Self.newToken()
        request.storage[TokenKey.self] = token

        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            // Nobody unknown gets a large body read: before sign-in only a small form is collected (an upload
            // route's limit is for its signed-in users). Streaming bodies stop at the limit while collected;
            // a body that arrived whole is measured here.
            let signedIn = request.currentUser != nil
            let limit = signedIn ? request.bodyLimit : min(request.bodyLimit, request.publicBodyLimit ?? Self.anonymousBodyLimit)
            if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
                throw Self.tooLarge(signedIn: signedIn)
            }
            let body: ByteBuffer?
            do {
                body = try await request.body.collect(max: limit).get()
            } catch let error as any AbortError where error.status == .payloadTooLarge {
                throw Self.tooLarge(signedIn: signedIn)
            }
            if let body, body.readableBytes > limit { throw Self.tooLarge(signedIn: signedIn) }
            let sent = request.headers.first(name: "X-CSRF-Token")
                ?? (try? request.content.get(String.self, at: Self.fieldName))
            guard let existing, let sent,
                  Self.constantTimeEqual(sent, Self.formToken(cookie: existing, session: request.currentUser?.sessionID)) else {
                throw Abort(.forbidden, reason: ErrorPage.csrfReason)
            }
        }

        let response = try await next.respond(to: request)
        let final = request.storage[TokenKey.self] ?? token
        if final != existing {
            response.cookies[Self.cookieName] = request.application.cookie(final, maxAge: nil)
        }
        return response
    }

    /// The most a visitor who is not signed in may send: a sign-in form, with room to spare.
    static let anonymousBodyLimit = 16 * 1024

    private static func tooLarge(signedIn: Bool) -> any Error {
        signedIn ? Abort(.payloadTooLarge)
            : ExplainedRefusal(status: .payloadTooLarge, title: "请先登录",
                               message: "您尚未登录或登录已过期，提交的内容未被接收。请重新登录后再提交（文件须重新选择）。")
    }

    static func newToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64url
    }

    /// What forms carry: the cookie's token itself before sign-in, bound to the session after.
    static func formToken(cookie: String, session: String?) -> String {
        guard let session else { return cookie }
        return Data(HMAC<SHA256>.authenticationCode(for: Data(session.utf8), using: SymmetricKey(data: Data(cookie.utf8)))).base64url
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    struct TokenKey: StorageKey { typealias Value = String }
}

extension Request {
    /// The token to put in this page's forms: bound to the session when signed in.
    var csrfToken: String {
        CSRFMiddleware.formToken(cookie: storage[CSRFMiddleware.TokenKey.self] ?? "", session: currentUser?.sessionID)
    }

    /// Issue a fresh token (at sign-in and sign-out), so a token seen before cannot be replayed.
    func rotateCSRFToken() { storage[CSRFMiddleware.TokenKey.self] = CSRFMiddleware.newToken() }

    /// The largest body this route accepts: its own limit for uploads, the application default otherwise.
    var bodyLimit: Int {
        (route?.userInfo[BodyLimit.key] as? Int) ?? application.routes.defaultMaxBodySize.value
    }

    /// A public form's own limit for visitors who are not signed in (`Route.publicBodyLimit`), nil for the
    /// sign-in-sized default.
    var publicBodyLimit: Int? { route?.userInfo[BodyLimit.publicKey] as? Int }
}

enum BodyLimit {
    static let key = "honors.bodyLimit"
    static let publicKey = "honors.publicBodyLimit"
}

extension Route {
    /// Raise this route's body limit (uploads); the CSRF check collects the body with it.
    @discardableResult
    func bodyLimit(_ bytes: Int) -> Route {
        userInfo[BodyLimit.key] = bytes
        return self
    }

    /// A form the public fills in without signing in (an objection): what a visitor may send to it.
    @discardableResult
    func publicBodyLimit(_ bytes: Int) -> Route {
        userInfo[BodyLimit.publicKey] = bytes
        return self
    }
}

extension Application {
    /// Cookies as Honors sets them: HttpOnly, SameSite=Lax, Secure behind HTTPS.
    func cookie(_ value: String, maxAge: Int?) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, maxAge: maxAge, path: "/", isSecure: honors.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }
}
