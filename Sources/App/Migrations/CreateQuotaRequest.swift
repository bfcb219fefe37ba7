import Fluent

struct CreateQuotaRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(QuotaRequest.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("committee_id", .int, .required, .references(Committee.schema, "id"))
            .field("category", .string, .required)
            .field("extra", .int, .required)
            .field("reason", .string, .required)
            .field("state", .string, .required)
            .field("requested_by", .string, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(QuotaRequest.schema).delete()
    }
}
