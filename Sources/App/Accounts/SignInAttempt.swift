import Fluent
import Foundation

/// Failed tries at one account from one client address (`userID` 0: names that are no account). Counted and
/// locked per address, so nobody elsewhere can keep the account's owner out; the sum over an address's rows
/// throttles anyone trying many accounts.
final class SignInAttempt: Model, @unchecked Sendable {
    static let schema = "sign_in_attempts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "address") var address: String
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
