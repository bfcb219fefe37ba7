import Fluent
import SQLKit

struct CreateNominationScan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NominationScan.schema)
            .field("id", .int, .identifier(auto: true))
            .field("nomination_id", .int, .required, .references(Nomination.schema, "id"))
            .field("files", .string, .required)
            .field("pages", .int, .required)
            .field("bytes", .int, .required)
            .field("printed_version", .int)
            .field("fingerprint", .string, .required)
            .field("matched", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX nomination_scans_nomination ON nomination_scans (nomination_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NominationScan.schema).delete()
    }
}
