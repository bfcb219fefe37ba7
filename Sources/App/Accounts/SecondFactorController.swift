import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// `GET/POST /account/factor`: a user enrols an authenticator app (QR code and secret as text, one code to
/// confirm, ten recovery codes shown once), sees its state, and turns it off where it is not required.
/// The administrator's reset of another user's factor is in `AccountsController`.
struct SecondFactorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("account", "factor", use: show)
        routes.post("account", "factor", use: confirm)
        routes.post("account", "factor", "disable", use: disable)
    }

    struct PageView: Encodable {
        var enabled = false
        var enabledAt: String?
        var recoveryLeft = 0
        var required = false
        var forced = false
        /// Enrolment: the QR code as a PNG data URL and the secret grouped for typing.
        var qr: String?
        var secret: String?
        /// Shown once, straight after the confirming code.
        var recoveryCodes: [String] = []
        var justEnabled = false
        var errors: [String: String] = [:]
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(req, errors: [:])
    }

    private func render(_ req: Request, errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        var view = PageView(required: try await SecondFactor.isRequired(for: user.role, on: req.db),
                            forced: user.mustEnrolFactor, errors: errors)
        let current = try await SecondFactor.status(of: user.id, on: req.db)
        if current.enabled {
            view.enabled = true
            view.enabledAt = current.enabledAt.map { DateFormatting.minute($0) }
            view.recoveryLeft = current.recoveryLeft
        } else {
            let secret = SecondFactor.enrolmentSecret(for: user.id, session: user.sessionID, box: req.application.secrets)
            let uri = TOTP.uri(secret: secret, account: user.username)
            view.qr = QRCode.encode(uri).map { "data:image/png;base64," + $0.png(scale: 6).base64EncodedString() }
            view.secret = SecondFactor.displayed(secret)
        }
        return try await req.page("factor", title: "双重验证", view, status: status)
    }

    struct Input: Content {
        var code: String?
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let code = try req.content.decode(Input.self).code ?? ""
        let box = req.application.secrets, now = req.now, actor = req.actor
        let codes = try await req.write { db -> [String]? in
            guard code.count <= 40,
                  let codes = try await SecondFactor.confirm(user.id, session: user.sessionID, code: code, box: box, now: now, on: db)
            else { return nil }
            // This browser's session was opened for enrolment only: now it is a full one. Every other session of
            // the user ends: none of them proved the new factor (one may be someone who knew the password).
            try await UserSession.query(on: db).filter(\.$id == user.sessionID).set(\.$enrolFactor, to: false).update()
            try await UserSession.query(on: db).filter(\.$user.$id == user.id).filter(\.$id != user.sessionID).delete()
            try await Audit.record(on: db, actor: actor, action: "account.factor_enrolled", objectType: "user",
                                   objectID: "\(user.id)", objectLabel: user.username, committeeID: user.committeeID,
                                   changes: [FieldChange("recovery_left", old: nil, new: "\(codes.count)")], at: now)
            return codes
        }
        guard let codes else {
            return try await render(req, errors: ["code": "验证码不正确。请确认手机时间准确，输入验证器中 Honors 当前显示的 6 位数字。"],
                                    status: .unprocessableEntity)
        }
        var view = PageView(enabled: true, enabledAt: DateFormatting.minute(now), recoveryLeft: codes.count,
                            required: try await SecondFactor.isRequired(for: user.role, on: req.db))
        view.recoveryCodes = codes
        view.justEnabled = true
        return try await req.page("factor", title: "双重验证", view).encodeResponse(for: req)
    }

    /// Off again, for a user who need not have it, with a current code so a borrowed session cannot do it.
    @Sendable func disable(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard try await !SecondFactor.isRequired(for: user.role, on: req.db) else {
            return try await render(req, errors: ["disable": "您的账号必须使用双重验证，不能停用。"], status: .unprocessableEntity)
        }
        let code = try req.content.decode(Input.self).code ?? ""
        let box = req.application.secrets, now = req.now, actor = req.actor, address = req.clientAddress
        // Counted like a sign-in's code: a borrowed session cannot guess its way to turning the factor off.
        let done = try await req.write { db -> Bool in
            guard try await SignInGuard.reserveCode(userID: user.id, now: now, on: db) == .allowed else { return false }
            guard code.count <= 40, try await SecondFactor.verify(user.id, typed: code, box: box, now: now, on: db) != nil,
                  try await SecondFactor.remove(user.id, on: db) else {
                _ = try await SignInGuard.codeFailed(userID: user.id, now: now, on: db)
                try await Audit.record(on: db, actor: actor, action: "account.factor_disable_failed", objectType: "user",
                                       objectID: "\(user.id)", objectLabel: user.username, committeeID: user.committeeID, at: now)
                return false
            }
            try await SignInGuard.succeeded(userID: user.id, address: address, on: db)
            try await Audit.record(on: db, actor: actor, action: "account.factor_disabled", objectType: "user",
                                   objectID: "\(user.id)", objectLabel: user.username, committeeID: user.committeeID, at: now)
            return true
        }
        guard done else {
            return try await render(req, errors: ["disable": "验证码不正确（或输错次数过多，请 15 分钟后再试），双重验证未停用。"],
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: "/account/factor")
    }
}
