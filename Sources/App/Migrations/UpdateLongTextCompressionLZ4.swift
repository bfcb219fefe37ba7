import Fluent
import SQLKit

/// PostgreSQL: the long texts of every nomination (`data`, the form as JSON) and of many audit events
/// (`changes`) are compressed with lz4 instead of pglz: about as small (a demo form's 3 600 bytes take some
/// 1 300 either way) in well under half the time — pglz was a sixth of the server's work seeding 100 000
/// nominations — and faster to read back. Values already stored keep their compression until rewritten. A
/// server built without lz4 (or older than 14) keeps pglz. SQLite stores text as it is.
struct UpdateLongTextCompressionLZ4: AsyncMigration {
    static let columns = [("nominations", "data"), ("audit_events", "changes")]

    func prepare(on database: any Database) async throws {
        try await set("lz4", on: database)
    }

    func revert(on database: any Database) async throws {
        try await set("pglz", on: database)
    }

    private func set(_ method: String, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        // EXECUTE: a block's own statements are parsed before it runs, where a server before 14 would fail on
        // SET COMPRESSION outside the handler.
        for (table, column) in Self.columns {
            try await sql.raw(SQLQueryString("""
                DO $$ BEGIN
                    EXECUTE 'ALTER TABLE \(unsafeRaw: table) ALTER COLUMN \(unsafeRaw: column) SET COMPRESSION \(unsafeRaw: method)';
                EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
                END $$
                """)).run()
        }
    }
}
