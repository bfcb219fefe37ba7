import Fluent

/// The creation keys of records other than nominations (`CreationKey`).
struct CreateCreationKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CreationKeyRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("kind", .string, .required)
            .field("key", .string, .required)
            .field("object_id", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "kind", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CreationKeyRecord.schema).delete()
    }
}
