import Fluent

struct CreateCampaign: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("title", .string, .required)
            .field("document_number", .string, .required)
            .field("award_year", .int, .required)
            .field("issued_on", .string, .required)
            .field("deadline_on", .string, .required)
            .field("contact_unit", .string, .required)
            .field("contact_person", .string, .required)
            .field("contact_phone", .string, .required)
            .field("contact_email", .string, .required)
            .field("deeds_target", .int, .required)
            .field("deeds_tolerance_pct", .int, .required)
            .field("deeds_min_pct", .int, .required)
            .field("deeds_max_pct", .int, .required)
            .field("member_worker_exclusive", .bool, .required)
            .unique(on: "document_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).delete()
    }
}
