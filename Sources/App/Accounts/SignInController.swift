import Crypto
import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /login`, `POST /login`, `POST /logout`.
struct SignInController: RouteCollection {
    /// One message for every failure, so it never tells whether an account exists or is locked.
    static let failureMessage = "用户名或密码错误，或账号因连续输错已被临时锁定。连续输错 5 次将锁定 15 分钟。"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
    }

    struct FormView: Encodable {
        var username = ""
        var next = "/"
        var error: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.page("login", title: "登录", FormView(next: next)).encodeResponse(for: req)
    }

    struct Input: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        let typedName = TextInput.halfWidth(TextInput.line(input.username ?? "")).lowercased()
        let password = input.password ?? ""
        let next = Self.safeNext(input.next)
        let now = req.now

        let user = typedName.isEmpty || typedName.count > UsernamePolicy.maximumLength ? nil
            : try await User.query(on: req.db).filter(\.$username == typedName).first()
        // Verify against a stand-in hash when there is no such user, so both cases take the same time.
        let hash = user?.passwordHash ?? req.application.dummyPasswordHash
        let passwordMatches = password.utf8.count <= PasswordPolicy.maximumBytes && !password.isEmpty
            ? ((try? await req.password.async.verify(password, created: hash)) ?? false) : false

        guard let user, user.active, !SignInPolicy.isLocked(until: user.lockedUntil, now: now), passwordMatches
        else {
            try await recordFailure(user: user, typedName: typedName, req: req, now: now)
            let view = FormView(username: String(typedName.prefix(UsernamePolicy.maximumLength)), next: next,
                                error: Self.failureMessage)
            return try await req.page("login", title: "登录", view, status: .unauthorized)
        }

        let userID = try user.requireID()
        let token = CSRFMiddleware.newToken()
        let oldToken = req.cookies[SessionAuthenticator.cookieName]?.string
        try await req.write { db in
            // Rotation: whatever session this browser had is ended; the new one has a fresh id.
            if let oldToken {
                try await UserSession.query(on: db)
                    .filter(\.$id == SessionAuthenticator.tokenHash(oldToken)).delete()
            }
            try await User.query(on: db).filter(\.$id == userID)
                .set(\.$failedLogins, to: 0).set(\.$lockedUntil, to: nil).update()
            try await UserSession(tokenHash: SessionAuthenticator.tokenHash(token), userID: userID, now: now,
                                  address: req.clientAddress).create(on: db)
            try await Audit.record(on: db, actor: Actor(userID: userID, name: user.username, role: user.roleRaw,
                                                        address: req.clientAddress),
                                   action: "auth.sign_in", objectType: "user", objectID: "\(userID)",
                                   objectLabel: user.username, committeeID: user.$committee.id, at: now)
        }
        req.rotateCSRFToken()
        let response = req.redirect(to: user.mustChangePassword ? "/account/password" : next)
        response.cookies[SessionAuthenticator.cookieName] =
            req.application.cookie(token, maxAge: Int(SignInPolicy.absoluteTimeout))
        return response
    }

    private func recordFailure(user: User?, typedName: String, req: Request, now: Date) async throws {
        let label = String(typedName.prefix(64))
        let address = req.clientAddress
        let userID = user?.id
        try await req.write { db in
            var locked = false
            if let userID, let fresh = try await User.find(userID, on: db),
               !SignInPolicy.isLocked(until: fresh.lockedUntil, now: now) {
                let outcome = SignInPolicy.afterFailure(previousFailures: fresh.failedLogins, now: now)
                try await User.query(on: db).filter(\.$id == userID)
                    .set(\.$failedLogins, to: outcome.failures).set(\.$lockedUntil, to: outcome.lockedUntil)
                    .update()
                locked = outcome.lockedUntil != nil
            }
            let actor = Actor(userID: nil, name: label, role: "anonymous", address: address)
            try await Audit.record(on: db, actor: actor, action: "auth.sign_in_failed", objectType: "user",
                                   objectID: userID.map(String.init), objectLabel: label, at: now)
            if locked {
                try await Audit.record(on: db, actor: actor, action: "auth.locked", objectType: "user",
                                       objectID: userID.map(String.init), objectLabel: label, at: now)
            }
        }
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        if let user = req.currentUser {
            let now = req.now
            let actor = req.actor
            try await req.write { db in
                try await UserSession.query(on: db).filter(\.$id == user.sessionID).delete()
                try await Audit.record(on: db, actor: actor, action: "auth.sign_out", objectType: "user",
                                       objectID: "\(user.id)", objectLabel: user.username,
                                       committeeID: user.committeeID, at: now)
            }
        }
        req.rotateCSRFToken()
        let response = req.redirect(to: "/login")
        response.cookies[SessionAuthenticator.cookieName] = .expired
        return response
    }

    /// Only local paths are followed after sign-in, never another site.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
              !raw.contains("\r"), !raw.contains("\n"), raw.count < 500, !raw.hasPrefix("/login")
        else { return "/" }
        return raw.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "#"]))
            .flatMap { $0.removingPercentEncoding == raw ? raw : nil } ?? "/"
    }
}

extension Application {
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A bcrypt hash of a random password, made at start-up with the configured cost.
    var dummyPasswordHash: String {
        get { storage[DummyHashKey.self] ?? "" }
        set { storage[DummyHashKey.self] = newValue }
    }
}
