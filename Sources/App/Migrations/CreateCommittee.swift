import Fluent

struct CreateCommittee: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Committee.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("sort_order", .int, .required)
            .field("active", .bool, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Committee.schema).delete()
    }
}
