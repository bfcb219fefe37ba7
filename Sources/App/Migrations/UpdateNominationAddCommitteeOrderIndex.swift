import Fluent
import SQLKit

/// Reading a campaign's nominations committee by committee in id order (汇总表, packages) walks this index in
/// batches; without it each batch sorted every remaining row of the campaign again.
struct UpdateNominationAddCommitteeOrderIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX nominations_committee_order ON nominations (campaign_id, committee_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_committee_order").run()
    }
}
