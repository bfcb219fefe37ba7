import Fluent
import Foundation
import HonorsCore

/// A person who signs in. Committee operators carry the committee they work for.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    // Managed
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // Data
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var roleRaw: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "active") var active: Bool
    /// A reviewer granted full ID numbers and phones by the administrator (`PersonalDataPolicy`).
    @Field(key: "reveal_personal_data") var revealPersonalData: Bool

    // Relations
    @OptionalParent(key: "committee_id") var committee: Committee?

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $createdAt, $username, $displayName, $roleRaw, $passwordHash, $mustChangePassword, $active,
         $revealPersonalData, $committee]
    }

    init() {}

    init(username: String, displayName: String, role: Role, committeeID: Int?, passwordHash: String,
         mustChangePassword: Bool) {
        self.username = username
        self.displayName = displayName
        self.roleRaw = role.rawValue
        self.$committee.id = committeeID
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.active = true
        self.revealPersonalData = false
        self.version = 1
    }

    var role: Role { Role(rawValue: roleRaw) ?? .committee }
}

/// What a request knows about its signed-in user: a Sendable snapshot, safe to pass around.
struct CurrentUser: Sendable, Encodable {
    let id: Int
    let username: String
    let displayName: String
    let role: Role
    let committeeID: Int?
    let mustChangePassword: Bool
    let sessionID: String
    /// Signed in with the password only, and a second factor is required: only enrolment is open.
    var mustEnrolFactor = false
    /// Notifications not yet read when the request came in, for the page header (read with the session: a
    /// request that marks them read redirects, and the next page counts again).
    var unreadNotifications = 0
    /// For a reviewer: the administrator's grant of full ID numbers and phones.
    var revealGranted = false
    /// For a reviewer: the committees they are recused from (回避), whose nominations they neither see nor review.
    var recusedCommittees: Set<Int> = []
    /// Set when the request comes through the API with this token (`APIToken`): the holder is no account.
    var apiToken: Int?

    var roleLabel: String { role.label }
    var isAdmin: Bool { role == .admin }

    enum CodingKeys: String, CodingKey { case id, username, displayName, role, roleLabel, committeeID, isAdmin }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(username, forKey: .username)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(role.rawValue, forKey: .role)
        try c.encode(roleLabel, forKey: .roleLabel)
        try c.encodeIfPresent(committeeID, forKey: .committeeID)
        try c.encode(isAdmin, forKey: .isAdmin)
    }
}
