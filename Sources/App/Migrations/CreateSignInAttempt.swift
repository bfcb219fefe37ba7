import Fluent

/// Failed sign-in tries per account and client address (`SignInGuard`).
struct CreateSignInAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInAttempt.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required)
            .field("address", .string, .required)
            .field("failures", .int, .required)
            .field("locked_until", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "address")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInAttempt.schema).delete()
    }
}
