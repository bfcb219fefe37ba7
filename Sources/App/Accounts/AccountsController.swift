import Fluent
import Foundation
import HonorsCore
import Vapor

/// The administrator's account pages under `/admin/users`.
struct AccountsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: list)
        users.get("new", use: newForm)
        users.post(use: create)
        users.get(":userID", use: edit)
        users.post(":userID", use: update)
        users.post(":userID", "disable", use: disable)
        users.post(":userID", "enable", use: enable)
        users.post(":userID", "reset-password", use: resetPassword)
        users.post(":userID", "unlock", use: unlock)
        users.post(":userID", "factor", "reset", use: resetFactor)
        users.post(":userID", "recusals", use: setRecusals)
    }

    // MARK: List

    struct Row: Encodable {
        let id: Int
        let username: String
        let displayName: String
        let roleLabel: String
        let committeeName: String
        let active: Bool
        let locked: Bool
        let createdAt: String
    }

    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
        let notice: String?
    }

    @Sendable func list(req: Request) async throws -> View {
        let query = User.query(on: req.db).with(\.$committee).sort(\.$id)
        let (users, pageInfo) = try await PageInfo.fetch(query, req: req)
        let locked = Set(try await SignInAttempt.query(on: req.db).filter(\.$userID ~~ users.compactMap(\.id))
            .filter(\.$lockedUntil > req.now).all(\.$userID))
        let rows = try users.map { user in
            Row(id: try user.requireID(), username: user.username, displayName: user.displayName,
                roleLabel: user.role.label, committeeName: user.committee?.name ?? "",
                active: user.active, locked: locked.contains(try user.requireID()),
                createdAt: DateFormatting.minute(user.createdAt))
        }
        let notice = req.queryValue("created").map { "账号 \($0) 已创建。" }
        return try await req.page("users", title: "账号管理", ListView(rows: rows, pageInfo: pageInfo, notice: notice))
    }

    // MARK: Create

    struct FormView: Encodable {
        var username = ""
        var display_name = ""
        var role = Role.committee.rawValue
        var committee_id = ""
        var roles: [SelectOption] = []
        var committees: [SelectOption] = []
        /// For a reviewer: every committee, selected where they are recused (回避).
        var recusals: [SelectOption] = []
        var errors: [String: String] = [:]
        /// The form's `CreationKey`: drawn for a new form, kept when it comes back with errors.
        var creation_key = CreationKey.draw()
    }

    struct Input: Content {
        var username: String?
        var display_name: String?
        var role: String?
        var committee_id: String?
        var password: String?
        var creation_key: String?
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await renderForm(FormView(), req: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        let creationKey = CreationKey(input.creation_key), me = try req.requireUser().id
        let account = AccountService.NewAccount(
            username: input.username ?? "", displayName: input.display_name ?? "", role: input.role ?? "",
            committeeID: input.committee_id ?? "", password: input.password ?? "", mustChangePassword: true)
        let checked = try await AccountService.validate(account, on: req.db)
        guard checked.errors.isEmpty, let role = checked.role else {
            // The same form sent again after its account was made: the account, not "用户名已被使用".
            if let id = try await req.madeBefore(creationKey, .user), let made = try await User.find(id, on: req.db) {
                return req.redirect(to: "/admin/users?created=\(made.username)")
            }
            // Typed values come back (cleaned), except the password.
            var form = FormView(username: TextInput.line(account.username), display_name: TextInput.line(account.displayName),
                                role: account.role, committee_id: account.committeeID, errors: checked.errors)
            form.creation_key = creationKey?.value ?? form.creation_key
            return try await renderForm(form, req: req, status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(account.password)
        let made: User
        do {
            made = try await AccountService(app: req.application, actor: req.actor, now: req.now).create(
                username: checked.username, displayName: checked.displayName, role: role,
                committee: checked.committee, passwordHash: hash, mustChangePassword: true, creationKey: creationKey, by: me)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two administrators creating the same name at once: the database's unique index decides.
            var form = FormView(username: checked.username, display_name: checked.displayName, role: account.role,
                                committee_id: account.committeeID)
            form.errors["username"] = "用户名“\(checked.username)”已被使用。"
            return try await renderForm(form, req: req, status: .conflict)
        }
        return req.redirect(to: "/admin/users?created=\(made.username)")
    }

    private func renderForm(_ form: FormView, req: Request, status: HTTPStatus = .ok) async throws -> Response {
        var form = form
        form.roles = Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.role) }
        form.committees = try await Committee.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
            .map { SelectOption(id: try $0.requireID(), label: $0.name, selected: form.committee_id) }
        return try await req.page("user-new", title: "新建账号", form, status: status)
    }

    // MARK: Edit

    struct EditView: Encodable {
        var id: Int
        var username: String
        var display_name: String
        var role: String
        var committee_id: String
        var version: Int
        var active: Bool
        var locked: Bool
        /// A reviewer's reveal of full ID numbers and phones (`PersonalDataPolicy`).
        var reveal_personal_data: Bool
        /// The user's authenticator: since when, nil when none.
        var factorSince: String? = nil
        var roles: [SelectOption] = []
        var committees: [SelectOption] = []
        /// For a reviewer: every committee, selected where they are recused (回避).
        var recusals: [SelectOption] = []
        var errors: [String: String] = [:]
        var notice: String?
        var temporaryPassword: String?
        var isSelf: Bool
    }

    struct UpdateInput: Content {
        var display_name: String?
        var role: String?
        var committee_id: String?
        var reveal_personal_data: String?
        var version: Int?
    }

    private func load(_ req: Request) async throws -> User {
        guard let user = try await User.query(on: req.db).filter(\.$id == req.intParameter("userID"))
            .with(\.$committee).first() else { throw Abort(.notFound) }
        return user
    }

    private func editView(_ user: User, req: Request) async throws -> EditView {
        EditView(id: try user.requireID(), username: user.username, display_name: user.displayName,
                 role: user.roleRaw, committee_id: user.$committee.id.map(String.init) ?? "", version: user.version,
                 active: user.active, locked: try await SignInGuard.isLocked(try user.requireID(), now: req.now, on: req.db),
                 reveal_personal_data: user.revealPersonalData,
                 factorSince: try await SecondFactor.status(of: try user.requireID(), on: req.db).enabledAt.map(DateFormatting.minute),
                 isSelf: user.id == req.currentUser?.id)
    }

    private func renderEdit(_ view: EditView, req: Request, status: HTTPStatus = .ok) async throws -> Response {
        var view = view
        view.roles = Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == view.role) }
        let committees = try await Committee.query(on: req.db).sort(\.$sortOrder).all()
        view.committees = try committees.map { SelectOption(id: try $0.requireID(), label: $0.name, selected: view.committee_id) }
        if view.role == Role.reviewer.rawValue {
            let recused = try await ReviewerRecusal.committees(of: view.id, on: req.db)
            view.recusals = try committees.map { SelectOption(value: "\(try $0.requireID())", label: $0.name, selected: recused.contains($0.id ?? 0)) }
        }
        return try await req.page("user-edit", title: "账号：\(view.username)", view, status: status)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        var view = try await editView(try await load(req), req: req)
        view.notice = req.queryValue("notice").flatMap { Self.notices[$0] }
        return try await renderEdit(view, req: req)
    }

    static let notices = [
        "saved": "已保存。", "recusals": "已保存回避设置。", "disabled": "账号已停用，其登录会话已结束。", "enabled": "账号已启用。", "unlocked": "已解除登录锁定。",
        "factor_reset": "已重置双重验证：该用户下次登录时须重新绑定验证器（管理员和被要求使用的用户）。",
    ]

    @Sendable func update(req: Request) async throws -> Response {
        let user = try await load(req)
        let input = try req.content.decode(UpdateInput.self)
        var view = try await editView(user, req: req)
        view.display_name = TextInput.line(input.display_name ?? "")
        view.role = input.role ?? ""
        view.committee_id = input.committee_id ?? ""
        let role = Role(rawValue: view.role)
        // Only a reviewer's masks can be lifted: the other roles' outputs are decided by the policy alone.
        view.reveal_personal_data = input.reveal_personal_data == "1" && role == .reviewer
        if role == nil { view.errors["role"] = "请选择角色。" }
        let (displayName, nameError) = AccountService.validateDisplayName(view.display_name, fallback: user.username)
        if let nameError { view.errors["display_name"] = nameError }
        let (committee, committeeError) = try await AccountService.validateCommittee(view.committee_id, role: role, on: req.db)
        if let committeeError { view.errors["committee_id"] = committeeError }
        if view.isSelf, role != .admin { view.errors["role"] = "不能取消自己的管理员角色。" }
        guard view.errors.isEmpty, let role else { return try await renderEdit(view, req: req, status: .unprocessableEntity) }

        let expected = input.version ?? -1
        let userID = try user.requireID()
        let changes = [
            FieldChange("display_name", old: user.displayName, new: displayName),
            FieldChange("role", old: user.roleRaw, new: role.rawValue),
            FieldChange("committee", old: user.committee?.name, new: committee?.name),
            FieldChange("reveal_personal_data", old: user.revealPersonalData ? "是" : "否", new: view.reveal_personal_data ? "是" : "否"),
        ]
        let reveal = view.reveal_personal_data
        let actor = req.actor, now = req.now
        let saved = try await req.write { db -> Bool in
            guard try await db.claimVersion(of: User.schema, id: userID, expected: expected) else { return false }
            try await User.query(on: db).filter(\.$id == userID)
                .set(\.$displayName, to: displayName).set(\.$roleRaw, to: role.rawValue)
                .set(\.$committee.$id, to: committee?.id).set(\.$revealPersonalData, to: reveal).update()
            if user.roleRaw != role.rawValue || user.$committee.id != committee?.id {
                // A new role or committee takes effect now, not at the next sign-in.
                try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
            }
            try await Audit.record(on: db, actor: actor, action: "account.update", objectType: "user",
                                   objectID: "\(userID)", objectLabel: user.username, committeeID: committee?.id,
                                   changes: changes, at: now)
            return true
        }
        guard saved else {
            var fresh = try await editView(try await load(req), req: req)
            fresh.errors["version"] = "保存失败：此账号已被他人修改（上面显示的是最新内容），您的修改未保存。您填写的是：姓名“\(displayName)”，角色“\(role.label)”\(committee.map { "，行业党委“\($0.name)”" } ?? "")。请核对后重新保存。"
            return try await renderEdit(fresh, req: req, status: .conflict)
        }
        return req.redirect(to: "/admin/users/\(userID)?notice=saved")
    }

    @Sendable func disable(req: Request) async throws -> Response {
        try await setActive(false, req: req)
    }

    @Sendable func enable(req: Request) async throws -> Response {
        try await setActive(true, req: req)
    }

    private func setActive(_ active: Bool, req: Request) async throws -> Response {
        let user = try await load(req)
        let userID = try user.requireID()
        if !active, userID == req.currentUser?.id {
            var view = try await editView(user, req: req)
            view.errors["active"] = "不能停用自己的账号。"
            return try await renderEdit(view, req: req, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now
        if user.active != active {
            try await req.write { db in
                try await User.query(on: db).filter(\.$id == userID).set(\.$active, to: active)
                    .set(\.$version, to: user.version + 1).update()
                if !active { try await UserSession.query(on: db).filter(\.$user.$id == userID).delete() }
                try await Audit.record(on: db, actor: actor, action: active ? "account.enable" : "account.disable",
                                       objectType: "user", objectID: "\(userID)", objectLabel: user.username,
                                       committeeID: user.$committee.id,
                                       changes: [FieldChange("active", old: "\(user.active)", new: "\(active)")], at: now)
            }
        }
        return req.redirect(to: "/admin/users/\(userID)?notice=\(active ? "enabled" : "disabled")")
    }

    @Sendable func resetPassword(req: Request) async throws -> Response {
        let user = try await load(req)
        let userID = try user.requireID()
        let temporary = AccountService.temporaryPassword()
        let hash = try await req.password.async.hash(temporary)
        let actor = req.actor, now = req.now
        try await req.write { db in
            try await User.query(on: db).filter(\.$id == userID).set(\.$passwordHash, to: hash)
                .set(\.$mustChangePassword, to: true).set(\.$version, to: user.version + 1).update()
            _ = try await SignInGuard.unlock(userID, on: db)
            try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
            try await Audit.record(on: db, actor: actor, action: "account.reset_password", objectType: "user",
                                   objectID: "\(userID)", objectLabel: user.username, committeeID: user.$committee.id,
                                   changes: [FieldChange("password", old: "x", new: "y", sensitive: true)], at: now)
        }
        // Shown once, on this response only; never stored in clear.
        var view = try await editView(try await load(req), req: req)
        view.temporaryPassword = temporary
        view.notice = "密码已重置，账号已解锁。请把下面的临时密码告知本人，对方登录后须立即修改。"
        return try await renderEdit(view, req: req)
    }

    /// Ends every address's lock and count at this account, on record; the password stays.
    @Sendable func unlock(req: Request) async throws -> Response {
        let user = try await load(req)
        let userID = try user.requireID()
        let actor = req.actor, now = req.now
        try await req.write { db in
            let rows = try await SignInGuard.unlock(userID, on: db)
            try await Audit.record(on: db, actor: actor, action: "account.unlock", objectType: "user",
                                   objectID: "\(userID)", objectLabel: user.username, committeeID: user.$committee.id,
                                   changes: [FieldChange("count", old: nil, new: "\(rows)")], at: now)
        }
        return req.redirect(to: "/admin/users/\(userID)?notice=unlocked")
    }

    /// A lost phone: the factor and its recovery codes go, on record; the user enrols again (required roles at
    /// their next sign-in). Their sessions end, so whoever holds the phone's codes holds nothing.
    @Sendable func resetFactor(req: Request) async throws -> Response {
        let user = try await load(req)
        let userID = try user.requireID()
        let actor = req.actor, now = req.now, mySession = req.currentUser?.sessionID ?? ""
        try await req.write { db in
            guard try await SecondFactor.remove(userID, on: db) else { return }
            try await UserSession.query(on: db).filter(\.$user.$id == userID).filter(\.$id != mySession).delete()
            try await Audit.record(on: db, actor: actor, action: "account.factor_reset", objectType: "user",
                                   objectID: "\(userID)", objectLabel: user.username, committeeID: user.$committee.id, at: now)
        }
        return req.redirect(to: "/admin/users/\(userID)?notice=factor_reset")
    }
}
