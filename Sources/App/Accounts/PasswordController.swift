import Fluent
import HonorsCore
import Vapor

/// `GET/POST /account/password`: every user changes their own password here; first sign-in lands here.
struct PasswordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("account", "password", use: form)
        routes.post("account", "password", use: change)
    }

    struct FormView: Encodable {
        var forced: Bool
        var errors: [String: String] = [:]
        var done = false
    }

    @Sendable func form(req: Request) async throws -> View {
        let user = try req.requireUser()
        return try await req.page("password", title: "修改密码",
                                  FormView(forced: user.mustChangePassword, done: req.queryValue("done") == "1"))
    }

    struct Input: Content {
        var current_password: String?
        var new_password: String?
        var confirm_password: String?
    }

    @Sendable func change(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let input = try req.content.decode(Input.self)
        let current = input.current_password ?? "", new = input.new_password ?? ""
        var errors: [String: String] = [:]

        guard let stored = try await User.find(user.id, on: req.db) else { throw Abort(.notFound) }
        var currentMatches = false
        if !current.isEmpty, current.utf8.count <= PasswordPolicy.maximumBytes {
            currentMatches = (try? await req.password.async.verify(current, created: stored.passwordHash)) ?? false
        }
        if !currentMatches {
            errors["current_password"] = "当前密码不正确。"
        }
        if let problem = PasswordPolicy.problem(with: new) {
            errors["new_password"] = problem
        } else if new == current {
            errors["new_password"] = "新密码不能与当前密码相同。"
        }
        if errors["new_password"] == nil, new != (input.confirm_password ?? "") {
            errors["confirm_password"] = "两次输入的新密码不一致。"
        }
        if !errors.isEmpty {
            return try await req.page("password", title: "修改密码",
                                              FormView(forced: user.mustChangePassword, errors: errors), status: .unprocessableEntity)
        }

        let hash = try await req.password.async.hash(new)
        let now = req.now, actor = req.actor
        try await req.write { db in
            try await User.query(on: db).filter(\.$id == user.id)
                .set(\.$passwordHash, to: hash).set(\.$mustChangePassword, to: false)
                .set(\.$version, to: stored.version + 1).update()
            // Other browsers signed in with the old password are signed out.
            try await UserSession.query(on: db).filter(\.$user.$id == user.id)
                .filter(\.$id != user.sessionID).delete()
            try await Audit.record(on: db, actor: actor, action: "account.password_changed", objectType: "user",
                                   objectID: "\(user.id)", objectLabel: user.username,
                                   committeeID: user.committeeID,
                                   changes: [FieldChange("password", old: "x", new: "y", sensitive: true)], at: now)
        }
        return req.redirect(to: user.mustChangePassword ? "/" : "/account/password?done=1")
    }
}
