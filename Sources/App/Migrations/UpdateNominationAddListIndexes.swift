import Fluent
import SQLKit

/// Reads that grew with the number of nominations:
/// - a committee's own list, newest first across its campaigns: `nominations_committee` is walked backwards;
/// - the review desk's page, in committee, category and id order: `nominations_desk` is walked in that order, the state
///   checked in the index itself, and stops after a page's rows (a far page walks it backwards);
/// - the desk's count of returned nominations whose 补正期限 still runs (they hold a slot): `nominations_fixing` holds what
///   the count needs, so the rows, whose later columns SQLite keeps behind the long form data, are not read.
/// `IF NOT EXISTS`: a start stopped half-way through builds the rest the next time.
struct UpdateNominationAddListIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS nominations_committee ON nominations (committee_id, id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS nominations_desk ON nominations (campaign_id, committee_id, category, id, state)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS nominations_fixing ON nominations (campaign_id, state, fix_until, committee_id, category)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_committee").run()
        try await sql.raw("DROP INDEX nominations_desk").run()
        try await sql.raw("DROP INDEX nominations_fixing").run()
    }
}
