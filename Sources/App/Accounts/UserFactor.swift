import Fluent
import Foundation

/// A user's authenticator (TOTP) secret, sealed with the key ring like every other secret, stored once a code
/// confirmed it (`enabledAt`; rows of an older enrolment without it are replaced); `lastStep` is the time step
/// of the last code accepted, so a code is good once.
final class UserFactor: Model, @unchecked Sendable {
    static let schema = "user_factors"

    @ID(custom: "user_id", generatedBy: .user) var id: Int?
    @Field(key: "secret_enc") var secretSealed: String
    @Field(key: "secret_key_id") var secretKeyID: String
    @OptionalField(key: "enabled_at") var enabledAt: Date?
    @OptionalField(key: "last_step") var lastStep: Int64?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One single-use recovery code, as its SHA-256 (the code itself is shown once, at enrolment).
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userID: Int, codeHash: String) {
        self.userID = userID
        self.codeHash = codeHash
    }
}
