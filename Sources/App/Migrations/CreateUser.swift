import Fluent

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("committee_id", .int, .references(Committee.schema, "id"))
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("active", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
