import Fluent
import Foundation

/// A signed-in browser. The cookie holds a random token; the table holds only its SHA-256, so a copy of the
/// database does not let anyone take over a session. Stored in the database so several instances share them.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "address") var address: String
    /// Signed in with the password only by someone who must use a second factor: nothing but enrolment is open.
    @Field(key: "enrol_factor") var enrolFactor: Bool

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $user, $createdAt, $lastSeenAt, $address, $enrolFactor]
    }

    init() {}

    init(tokenHash: String, userID: Int, now: Date, address: String, enrolFactor: Bool = false) {
        self.id = tokenHash
        self.$user.id = userID
        self.createdAt = now
        self.lastSeenAt = now
        self.address = address
        self.enrolFactor = enrolFactor
    }
}
