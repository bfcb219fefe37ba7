import Fluent
import SQLKit

/// 公示 and 表彰: the period, the objections, the decision and its certificates; the alliance's summary of
/// the deeds on each nomination; a campaign's closing and its rotating executive unit.
struct CreatePublicity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Publicity.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("start_on", .string, .required)
            .field("end_on", .string, .required)
            .field("working_days", .int, .required)
            .field("contact_unit", .string, .required)
            .field("contact_phone", .string, .required)
            .field("contact_address", .string, .required)
            .field("started_by", .string, .required)
            .field("started_at", .datetime, .required)
            .unique(on: "campaign_id")
            .create()
        try await database.schema(Objection.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("nomination_id", .int, .required, .references(Nomination.schema, "id"))
            .field("objector_name_enc", .string, .required)
            .field("objector_phone_enc", .string, .required)
            .field("secret_key_id", .string, .required)
            .field("content", .string, .required)
            .field("attachment_file", .string)
            .field("address_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("outcome", .string)
            .field("check_note", .string)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .create()
        try await database.schema(Commendation.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("decision_number", .string, .required)
            .field("decision_title", .string, .required)
            .field("decision_preamble", .string, .required)
            .field("issuing_body", .string, .required)
            .field("issued_on", .string, .required)
            .field("issued_by", .string, .required)
            .field("issued_at", .datetime, .required)
            .unique(on: "campaign_id")
            .create()
        try await database.schema(Certificate.schema)
            .field("id", .int, .identifier(auto: true))
            .field("number", .string, .required)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("nomination_id", .int, .required, .references(Nomination.schema, "id"))
            .field("category", .string, .required)
            .field("display_name", .string, .required)
            .field("sequence", .int, .required)
            .unique(on: "number")
            .unique(on: "nomination_id")
            .create()
        try await database.schema(Nomination.schema).field("deeds_summary", .string).update()
        try await database.schema(Campaign.schema).field("closed_at", .datetime).update()
        try await database.schema(Campaign.schema).field("rotating_unit", .string, .required, .sql(.default(""))).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "objections_address").on(Objection.schema).column("address_hash").column("created_at").run()
            try await sql.create(index: "objections_campaign").on(Objection.schema).column("campaign_id").run()
            try await sql.create(index: "certificates_campaign").on(Certificate.schema).column("campaign_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).deleteField("rotating_unit").update()
        try await database.schema(Campaign.schema).deleteField("closed_at").update()
        try await database.schema(Nomination.schema).deleteField("deeds_summary").update()
        for schema in [Certificate.schema, Commendation.schema, Objection.schema, Publicity.schema] {
            try await database.schema(schema).delete()
        }
    }
}
