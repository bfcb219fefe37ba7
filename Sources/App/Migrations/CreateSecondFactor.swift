import Fluent
import SQLKit

/// Authenticator secrets and recovery codes (`SecondFactor`); the session's "must enrol first" mark; the
/// campaign setting that asks every user for a second factor. Off for everything that exists.
struct CreateSecondFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserFactor.schema)
            .field("user_id", .int, .identifier(auto: false), .references(User.schema, "id"))
            .field("secret_enc", .string, .required)
            .field("secret_key_id", .string, .required)
            .field("enabled_at", .datetime)
            .field("last_step", .int64)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(RecoveryCode.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "user_id", "code_hash")
            .create()
        try await database.schema(UserSession.schema)
            .field("enrol_factor", .bool, .required, .sql(.default(false))).update()
        try await database.schema(Campaign.schema)
            .field("require_second_factor", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RecoveryCode.schema).delete()
        try await database.schema(UserFactor.schema).delete()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE user_sessions DROP COLUMN enrol_factor").run()
        try await sql.raw("ALTER TABLE campaigns DROP COLUMN require_second_factor").run()
    }
}
