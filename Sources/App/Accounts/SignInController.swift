import Crypto
import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /login`, `POST /login`, `POST /logout`.
struct SignInController: RouteCollection {
    /// One message for every failure, so it never tells whether an account exists or is locked.
    static let failureMessage = "用户名或密码错误，或账号因连续输错已被临时锁定。连续输错 5 次将锁定 15 分钟。"
    static let throttledMessage = "此网络地址登录失败次数过多，请 15 分钟后再试；如需帮助请联系联盟管理员。"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
    }

    struct FormView: Encodable {
        var username = ""
        var next = "/"
        var error: String?
        /// The code step: the sealed `SignInChallenge` the form carries back.
        var challenge: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = Self.safeNext(req.queryValue("next"))
        return try await req.page("login", title: "登录", FormView(next: next)).encodeResponse(for: req)
    }

    struct Input: Content {
        var username: String?
        var password: String?
        var next: String?
        var challenge: String?
        var code: String?
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        if let challenge = input.challenge { return try await codeStep(req: req, challenge: challenge, input: input) }
        let typedName = TextInput.halfWidth(TextInput.line(input.username ?? "")).lowercased()
        let password = input.password ?? ""
        let next = Self.safeNext(input.next)
        let now = req.now

        let user = typedName.isEmpty || typedName.count > UsernamePolicy.maximumLength ? nil
            : try await User.query(on: req.db).filter(\.$username == typedName).first()
        // The try is counted, or refused, before the password is compared.
        let address = req.clientAddress, knownID = user?.id
        let answer = try await req.write { db in
            try await SignInGuard.reserve(userID: knownID, address: address, now: now, on: db)
        }
        var passwordMatches = false
        if answer == .allowed, password.utf8.count <= PasswordPolicy.maximumBytes, !password.isEmpty {
            // Verify against a stand-in hash when there is no such user, so both cases take the same time.
            let hash = user?.passwordHash ?? req.application.dummyPasswordHash
            passwordMatches = (try? await req.password.async.verify(password, created: hash)) ?? false
        }

        guard answer == .allowed, let user, user.active, passwordMatches else {
            let reason: String = switch answer {
            case .locked: "已锁定"
            case .throttled: "本地址尝试过多"
            case .allowed: user == nil ? "无此账号" : user!.active ? "密码错误" : "账号已停用"
            }
            try await recordFailure(user: user, counted: answer == .allowed, reason: reason, req: req, now: now)
            let view = FormView(username: String(typedName.prefix(UsernamePolicy.maximumLength)), next: next,
                                error: answer == .throttled ? Self.throttledMessage : Self.failureMessage)
            return try await req.page("login", title: "登录", view, status: answer == .throttled ? .tooManyRequests : .unauthorized)
        }

        let userID = try user.requireID()
        if try await SecondFactor.isEnabled(userID, on: req.db) {
            // The right password, and a second factor to come: the try stays counted until the code is right.
            let challenge = try SignInChallenge.make(userID: userID, passwordHash: user.passwordHash, now: now, box: req.application.secrets)
            return try await req.page("login", title: "登录", FormView(username: user.username, next: next, challenge: challenge))
                .encodeResponse(for: req)
        }
        let enrol = try await SecondFactor.isRequired(for: user.role, on: req.db)
        return try await startSession(user, enrolFactor: enrol, method: nil, next: next, req: req)
    }

    /// The second step: the code of the user the sealed challenge names, counted like a password try.
    private func codeStep(req: Request, challenge: String, input: Input) async throws -> Response {
        let now = req.now, box = req.application.secrets, address = req.clientAddress
        let next = Self.safeNext(input.next)
        let db = req.db
        guard let userID = try await SignInChallenge.open(challenge, now: now, box: box, passwordHash: {
            try await User.find($0, on: db)?.passwordHash
        }), let user = try await User.find(userID, on: req.db), user.active else {
            return try await req.page("login", title: "登录", FormView(next: next, error: Self.expiredMessage), status: .unauthorized)
        }
        let answer = try await req.write { db -> SignInGuard.Answer in
            let here = try await SignInGuard.reserve(userID: userID, address: address, now: now, on: db)
            guard here == .allowed else { return here }
            return try await SignInGuard.reserveCode(userID: userID, now: now, on: db)
        }
        var method: SecondFactor.Method?
        if answer == .allowed, let code = input.code, code.count <= 40 {
            method = try await req.write { db in try await SecondFactor.verify(userID, typed: code, box: box, now: now, on: db) }
        }
        guard let method else {
            try await recordFailure(user: user, counted: answer == .allowed, reason: answer == .allowed ? "验证码错误" : "已锁定",
                                    codeStep: true, req: req, now: now)
            if answer != .allowed {
                return try await req.page("login", title: "登录", FormView(username: user.username, next: next, error: Self.failureMessage),
                                          status: answer == .throttled ? .tooManyRequests : .unauthorized)
            }
            return try await req.page("login", title: "登录", FormView(username: user.username, next: next, error: Self.wrongCodeMessage,
                                                                     challenge: challenge), status: .unauthorized)
        }
        return try await startSession(user, enrolFactor: false, method: method, next: next, req: req)
    }

    static let wrongCodeMessage = "验证码不正确或已使用过，请输入验证器中当前显示的 6 位数字，或一个未用过的恢复码。连续输错将锁定账号 15 分钟。"
    static let expiredMessage = "登录验证已超时，请重新输入用户名和密码。"

    /// A new session for a user whose sign-in is complete (or who must enrol a second factor before anything else).
    private func startSession(_ user: User, enrolFactor: Bool, method: SecondFactor.Method?, next: String,
                              req: Request) async throws -> Response {
        let userID = try user.requireID()
        let now = req.now, address = req.clientAddress
        let token = CSRFMiddleware.newToken()
        let oldToken = req.cookies[SessionAuthenticator.cookieName]?.string
        try await req.write { db in
            // Rotation: whatever session this browser had is ended; the new one has a fresh id.
            if let oldToken {
                try await UserSession.query(on: db)
                    .filter(\.$id == SessionAuthenticator.tokenHash(oldToken)).delete()
            }
            try await SignInGuard.succeeded(userID: userID, address: address, on: db)
            try await UserSession(tokenHash: SessionAuthenticator.tokenHash(token), userID: userID, now: now,
                                  address: address, enrolFactor: enrolFactor).create(on: db)
            try await Audit.record(on: db, actor: Actor(userID: userID, name: user.username, role: user.roleRaw,
                                                        address: address),
                                   action: "auth.sign_in", objectType: "user", objectID: "\(userID)",
                                   objectLabel: user.username, committeeID: user.$committee.id,
                                   changes: method.map { [FieldChange("second_factor", old: nil, new: $0.rawValue)] } ?? [],
                                   at: now)
        }
        req.rotateCSRFToken()
        let landing = user.mustChangePassword ? "/account/password" : enrolFactor ? "/account/factor" : next
        let response = req.redirect(to: landing)
        response.cookies[SessionAuthenticator.cookieName] =
            req.application.cookie(token, maxAge: Int(SignInPolicy.absoluteTimeout))
        return response
    }

    /// On record, with the account when there is one. A name that is no account is not kept: people type
    /// passwords into the username field.
    private func recordFailure(user: User?, counted: Bool, reason: String, codeStep: Bool = false, req: Request, now: Date) async throws {
        let label = user?.username ?? "（无此账号）"
        let address = req.clientAddress
        let userID = user?.id
        try await req.write { db in
            var locked = counted ? try await SignInGuard.failed(userID: userID, address: address, now: now, on: db) : false
            if counted, codeStep, let userID {
                locked = try await SignInGuard.codeFailed(userID: userID, now: now, on: db) || locked
            }
            let actor = Actor(userID: nil, name: user?.username ?? "", role: "anonymous", address: address)
            try await Audit.record(on: db, actor: actor, action: "auth.sign_in_failed", objectType: "user",
                                   objectID: userID.map(String.init), objectLabel: label,
                                   changes: [FieldChange("result", old: nil, new: reason)], at: now)
            if locked {
                try await Audit.record(on: db, actor: actor, action: "auth.locked", objectType: "user",
                                       objectID: userID.map(String.init), objectLabel: label,
                                       changes: [FieldChange("address", old: nil, new: address)], at: now)
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

    /// Only paths of this site are followed after sign-in, never another site. Checked on the text as a browser
    /// would read it: percent-encoding undone (three times, for double encoding), no control character, space or
    /// backslash (browsers drop tabs and newlines and read `\\` as `/`), no look-alike slash, no `.` or `..`
    /// segment, and one leading slash only.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, !raw.isEmpty, raw.count < 500 else { return "/" }
        var decoded = raw
        for _ in 0..<3 {
            guard let once = decoded.removingPercentEncoding, once != decoded else { break }
            decoded = once
        }
        let forbidden: Set<Character> = ["\\", "\u{FF0F}", "\u{FF3C}", "\u{2215}", "\u{2044}", "\u{29F8}"]
        for text in [raw, decoded] {
            guard text.hasPrefix("/"), !text.hasPrefix("//"),
                  !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace }),
                  !text.contains(where: forbidden.contains)
            else { return "/" }
            let path = text.split(separator: "?", maxSplits: 1).first.map(String.init) ?? text
            guard !path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." })
            else { return "/" }
        }
        // `&` and `#` would end the `next` parameter of the sign-in link itself.
        guard !decoded.hasPrefix("/login"), !raw.contains("&"), !raw.contains("#"),
              let encoded = raw.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.union(["%"])),
              let components = URLComponents(string: encoded), components.scheme == nil, components.host == nil
        else { return "/" }
        return encoded
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
