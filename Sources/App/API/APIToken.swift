import Fluent
import Foundation
import HonorsCore

/// A key to the JSON API (`/api/v1`), made by the administrator for one committee's platform (its own records)
/// or for the alliance's (every committee, read-only or read-write). Only a hash of the token is kept; the token
/// itself is shown once, when made.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    enum Scope: String, Sendable, Codable {
        case committee
        case alliance
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// What the administrator called it: which platform holds it.
    @Field(key: "name") var name: String
    /// SHA-256 of the token, hex.
    @Field(key: "token_hash") var tokenHash: String
    /// The token's first characters, to tell tokens apart in lists and on the audit trail.
    @Field(key: "hint") var hint: String
    @Field(key: "scope") var scope: String
    @OptionalField(key: "committee_id") var committeeID: Int?
    @Field(key: "can_write") var canWrite: Bool
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}

    var scopeValue: Scope { Scope(rawValue: scope) ?? .committee }

    func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// How the audit trail names what it did: its name and its number (names need not be unique).
    var actorName: String {
        get throws { "api:\(name)#\(try requireID())" }
    }

    /// Who the holder acts as: a committee's operator, or the alliance (a reviewer reads; an administrator
    /// writes). Every question the pages ask of a person is asked of this.
    func holder() throws -> CurrentUser {
        let role: Role = scopeValue == .committee ? .committee : (canWrite ? .admin : .reviewer)
        var user = CurrentUser(id: 0, username: try actorName, displayName: "接口令牌 \(name)", role: role,
                               committeeID: scopeValue == .committee ? committeeID : nil, mustChangePassword: false,
                               sessionID: "")
        user.apiToken = try requireID()
        return user
    }
}
