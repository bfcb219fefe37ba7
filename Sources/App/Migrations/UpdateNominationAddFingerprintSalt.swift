import Fluent
import SQLKit

/// Each nomination's secret salt for its form's fingerprint (`FormFingerprint`, version 2). Existing rows keep
/// none, and their version-1 fingerprints, so forms already printed and scanned still match.
struct UpdateNominationAddFingerprintSalt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema).field("fingerprint_salt", .string).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE nominations DROP COLUMN fingerprint_salt").run()
    }
}
