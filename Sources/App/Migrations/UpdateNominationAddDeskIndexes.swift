import Fluent
import SQLKit

/// Two reads of the review desk that grew with the campaign:
/// - its page, in committee, category and id order: `nominations_desk` is walked in that order, the state
///   checked in the index itself, and stops after a page's rows (a far page walks it backwards);
/// - the returned nominations whose 补正期限 still runs (they hold a slot): `nominations_fixing` holds what
///   the count needs, so the rows, whose later columns SQLite keeps behind the long form data, are not read.
struct UpdateNominationAddDeskIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX nominations_desk ON nominations (campaign_id, committee_id, category, id, state)").run()
        try await sql.raw("CREATE INDEX nominations_fixing ON nominations (campaign_id, state, fix_until, committee_id, category)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_desk").run()
        try await sql.raw("DROP INDEX nominations_fixing").run()
    }
}
