import Fluent
import SQLKit

/// Which key of the ring sealed a nomination's ID number and phone and made its duplicate-check hash: what
/// start-up checks the ring against, what `honors key status` counts and what re-sealing after a rotation
/// walks. Existing rows take the key id written in their sealed values (one key sealed all of them).
struct UpdateNominationAddSecretKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema).field("secret_key_id", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        // `v1:<8 hex>:…`: the id is characters 4 to 11 (substr counts from 1 on both engines).
        try await sql.raw("""
            UPDATE nominations SET secret_key_id = substr(COALESCE(id_number_enc, phone_enc), 4, 8)
            WHERE id_number_enc IS NOT NULL OR phone_enc IS NOT NULL
            """).run()
        try await sql.raw("CREATE INDEX nominations_secret_key ON nominations (secret_key_id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_secret_key").run()
        // Said in SQL: SQLKit's SQLite dialect leaves DROP COLUMN out, which SQLite has had since 3.35.
        try await sql.raw("ALTER TABLE nominations DROP COLUMN secret_key_id").run()
    }
}
