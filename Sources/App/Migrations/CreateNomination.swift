import Fluent
import SQLKit

struct CreateNomination: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("committee_id", .int, .required, .references(Committee.schema, "id"))
            .field("category", .string, .required)
            .field("state", .string, .required)
            .field("display_name", .string, .required)
            .field("data", .string, .required)
            .field("id_number_enc", .string)
            .field("id_hash", .string)
            .field("phone_enc", .string)
            .field("attestations", .string, .required)
            .field("photo_file", .string)
            .field("submitted_at", .datetime)
            .field("submitted_by", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The same person once per campaign, across committees and categories; a withdrawn nomination
        // frees the person. The database decides when two saves race.
        try await sql.raw("""
            CREATE UNIQUE INDEX nominations_person_once ON nominations (campaign_id, id_hash)
            WHERE id_hash IS NOT NULL AND state <> 'withdrawn'
            """).run()
        try await sql.raw("CREATE INDEX nominations_listing ON nominations (campaign_id, committee_id, category, state)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Nomination.schema).delete()
    }
}
