import Fluent
import SQLKit

struct CreateIntegrityReply: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IntegrityReply.schema)
            .field("id", .int, .identifier(auto: true))
            .field("nomination_id", .int, .required, .references(Nomination.schema, "id"))
            .field("result", .string, .required)
            .field("note", .string, .required)
            .field("reply_date", .string, .required)
            .field("scan_file", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX integrity_replies_nomination ON integrity_replies (nomination_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IntegrityReply.schema).delete()
    }
}
