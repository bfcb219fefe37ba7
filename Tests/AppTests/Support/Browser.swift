@testable import App
import Fluent
import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

/// A cookie-keeping client for tests: behaves like one browser, including the CSRF field that real forms
/// carry. `csrf: false` sends a form without it, as a forged request would.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    /// Sent as X-Forwarded-For: a client at another address, as a trusted proxy reports it.
    var forwardedFor: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil)
    }

    @discardableResult
    func post(_ path: String, _ form: [(String, String)] = [], csrf: Bool = true) async throws -> TestingHTTPResponse {
        if csrf, cookies[CSRFMiddleware.cookieName] == nil { try await get("/login") }
        var fields = form
        if csrf { fields.append(("_csrf", csrfField)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Signs in; returns the response to the sign-in POST, or, for a user with an authenticator, to the code
    /// step, answered with the app's code (`Application.factorSecret`) for the first step not used yet.
    @discardableResult
    func signIn(_ username: String, _ password: String = "Passw0rd1") async throws -> TestingHTTPResponse {
        // The token of the sign-in page as the server renders it now (a session that timed out is no session);
        // signed in already, the page redirects and the bound token stands.
        let page = try await get("/login")
        let token = page.matches(of: #"name="_csrf" value="([^"]+)""#).first ?? csrfField
        let first = try await post("/login", [("username", username), ("password", password), ("_csrf", token)], csrf: false)
        guard first.status == .ok, let challenge = first.matches(of: #"name="challenge" value="([^"]+)""#).first else { return first }
        return try await post("/login", [("challenge", challenge),
                                         ("code", try await currentCode(username)), ("_csrf", token)], csrf: false)
    }

    /// The code `username`'s authenticator shows: of the earliest step the server still takes (each step once),
    /// moving the test clock on when this 30 seconds' steps are used up.
    func currentCode(_ username: String) async throws -> String {
        let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
        let last = try await UserFactor.find(try user.requireID(), on: app.db)?.lastStep ?? Int64.min
        var now = TOTP.step(at: app.clock.now())
        if last + 1 > now + TOTP.window, let clock = app.clock as? ManualClock {
            clock.advance(by: TOTP.period * Double(last + 1 - now - TOTP.window))
            now = TOTP.step(at: app.clock.now())
        }
        return TOTP.code(secret: Application.factorSecret(username), step: max(now - TOTP.window, last + 1))
    }

    /// A multipart upload of one file, as a file input sends it, with the form's other fields.
    @discardableResult
    func upload(_ path: String, field: String, filename: String, data: Data, contentType: String,
                fields: [(String, String)] = []) async throws -> TestingHTTPResponse {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/login") }
        let boundary = "----honors\(UUID().uuidString)"
        var body = Data()
        func add(_ text: String) { body.append(Data(text.utf8)) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrfField)\r\n")
        for (name, value) in fields { add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n") }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.append(data)
        add("\r\n--\(boundary)--\r\n")
        return try await send(.POST, path, body: ByteBuffer(data: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    /// The token this browser's forms carry, as the page would give it: bound to the session once signed in.
    var csrfField: String {
        CSRFMiddleware.formToken(cookie: cookies[CSRFMiddleware.cookieName] ?? "",
                                 session: cookies[SessionAuthenticator.cookieName].map(SessionAuthenticator.tokenHash))
    }

    /// Any other method, without a body.
    func send(_ method: HTTPMethod, _ path: String) async throws -> TestingHTTPResponse {
        try await send(method, path, body: nil)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, contentType: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        if let forwardedFor { headers.replaceOrAdd(name: "X-Forwarded-For", value: forwardedFor) }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]), value = String(pair[1])
            if header.contains("Max-Age=0") || header.contains("Expires=Thu, 01 Jan 1970") || value.isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    var location: String? { headers.first(name: .location) }

    /// The messages shown next to fields (`<p class="field-error">`), unescaped.
    var fieldErrors: [String] {
        matches(of: #"class="field-error">([^<]*)<"#).map { $0.replacingOccurrences(of: "&quot;", with: "\"") }
    }

    func matches(of pattern: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let string = text
        return regex.matches(in: string, range: NSRange(string.startIndex..., in: string)).compactMap {
            Range($0.range(at: 1), in: string).map { String(string[$0]) }
        }
    }
}
