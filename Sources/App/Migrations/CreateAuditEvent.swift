import Fluent
import SQLKit

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .field("id", .int, .identifier(auto: true))
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .int)
            .field("actor_name", .string, .required)
            .field("actor_role", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string)
            .field("object_label", .string, .required)
            .field("committee_id", .int)
            .field("changes", .string, .required)
            .field("address", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at)").run()
        // Append-only, enforced by the database itself.
        if sql.dialect.name != "sqlite" {
            try await sql.raw("""
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$
                """).run()
        }
        try await AppendOnly.restore(on: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
        if let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_events_append_only()").run()
        }
    }
}
