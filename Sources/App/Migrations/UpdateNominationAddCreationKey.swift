import Fluent
import SQLKit

/// The key the new-nomination form carries: a client that sends the same form again after a lost answer
/// finds the nomination its first try created instead of making a second one. Unique, so two tries racing
/// make one row. Unique per committee: a key is the committee's own and finds nothing elsewhere.
struct UpdateNominationAddCreationKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Nomination.schema).field("creation_key", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX nominations_creation_key ON nominations (committee_id, creation_key)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_creation_key").run()
        try await sql.raw("ALTER TABLE nominations DROP COLUMN creation_key").run()
    }
}
