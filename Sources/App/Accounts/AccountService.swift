import Fluent
import Foundation
import HonorsCore
import Vapor

/// Account changes, shared by the administrator's pages and the `honors user` command, so both apply the
/// same checks and leave the same audit trail.
struct AccountService {
    let app: Application
    let actor: Actor
    let now: Date

    struct NewAccount {
        var username: String
        var displayName: String
        var role: String
        var committeeID: String
        var password: String
        var mustChangePassword: Bool
    }

    /// Checks a new account; field key → Chinese message. Empty means it can be created.
    static func validate(_ input: NewAccount, on db: any Database) async throws -> (errors: [String: String], username: String, displayName: String, role: Role?, committee: Committee?) {
        var errors: [String: String] = [:]
        var username = ""
        switch UsernamePolicy.normalise(input.username) {
        case .success(let name): username = name
        case .failure(let message): errors["username"] = message.text
        }
        let (displayName, displayError) = validateDisplayName(input.displayName, fallback: username)
        if let displayError { errors["display_name"] = displayError }
        let role = Role(rawValue: input.role)
        if role == nil { errors["role"] = "请选择角色。" }
        let (committee, committeeError) = try await validateCommittee(input.committeeID, role: role, on: db)
        if let committeeError { errors["committee_id"] = committeeError }
        if let problem = PasswordPolicy.problem(with: input.password) { errors["password"] = problem }
        if errors["username"] == nil,
           try await User.query(on: db).filter(\.$username == username).count() > 0 {
            errors["username"] = "用户名“\(username)”已被使用。"
        }
        return (errors, username, displayName, role, committee)
    }

    static func validateDisplayName(_ raw: String, fallback: String) -> (String, String?) {
        let name = TextInput.line(raw)
        if name.count > 30 { return (name, "姓名或称呼最多 30 个字。") }
        return (name.isEmpty ? fallback : name, nil)
    }

    static func validateCommittee(_ raw: String, role: Role?, on db: any Database) async throws -> (Committee?, String?) {
        guard role?.needsCommittee == true else { return (nil, nil) }
        guard let id = Int(raw.trimmingCharacters(in: .whitespaces)),
              let committee = try await Committee.find(id, on: db), committee.active
        else { return (nil, "行业党委经办人必须选择所属行业党委。") }
        return (committee, nil)
    }

    /// Creates the account with its audit event; with a creation key (the form's, `by` the administrator who
    /// sent it) a second send finds the account the first made.
    @discardableResult
    func create(username: String, displayName: String, role: Role, committee: Committee?, passwordHash: String,
                mustChangePassword: Bool, creationKey: CreationKey? = nil, by creator: Int? = nil) async throws -> User {
        let actor = self.actor, now = self.now
        let id = try await app.createOnce(creator == nil ? nil : creationKey, .user, by: creator ?? 0, on: app.db, now: now) { db in
            let user = User(username: username, displayName: displayName, role: role, committeeID: committee?.id,
                            passwordHash: passwordHash, mustChangePassword: mustChangePassword)
            try await user.create(on: db)
            try await Audit.record(
                on: db, actor: actor, action: "account.create", objectType: "user", objectID: user.id.map(String.init),
                objectLabel: username, committeeID: committee?.id,
                changes: [
                    FieldChange("username", old: nil, new: username),
                    FieldChange("display_name", old: nil, new: displayName),
                    FieldChange("role", old: nil, new: role.rawValue),
                    FieldChange("committee", old: nil, new: committee?.name),
                    FieldChange("password", old: nil, new: "set", sensitive: true),
                ], at: now)
            return try user.requireID()
        }
        guard let user = try await User.find(id, on: app.db) else { throw Abort(.internalServerError) }
        return user
    }

    /// A random temporary password that satisfies the policy: 12 characters, letters and digits,
    /// without look-alikes (0/O, 1/l/I).
    static func temporaryPassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        var generator = SystemRandomNumberGenerator()
        var chars = (0..<9).map { _ in letters.randomElement(using: &generator)! }
        chars += (0..<3).map { _ in digits.randomElement(using: &generator)! }
        return String(chars.shuffled(using: &generator))
    }
}
