import Fluent

struct CreateDeadlineExtension: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DeadlineExtension.schema)
            .field("id", .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("committee_id", .int, .required, .references(Committee.schema, "id"))
            .field("until_on", .string, .required)
            .field("reason", .string, .required)
            .field("granted_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DeadlineExtension.schema).delete()
    }
}
