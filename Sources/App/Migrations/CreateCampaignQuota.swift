import Fluent

struct CreateCampaignQuota: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CampaignQuota.schema)
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("committee_id", .int, .required, .references(Committee.schema, "id"))
            .field("category", .string, .required)
            .field("guiding", .int, .required)
            .field("granted", .int, .required)
            .unique(on: "campaign_id", "committee_id", "category")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CampaignQuota.schema).delete()
    }
}
