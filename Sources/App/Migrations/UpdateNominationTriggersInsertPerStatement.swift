import Fluent
import SQLKit

/// PostgreSQL: the triggers of the tallies, the name index and the composition count an INSERT's rows once per
/// statement (`NominationTriggers.addAll`) instead of once per row. Databases made before are given the new
/// triggers, dropped and made again in one transaction: DROP TRIGGER locks `nominations` until the commit, so
/// an instance still serving during a rolling upgrade waits instead of writing a row nothing counts. SQLite
/// keeps its row triggers.
struct UpdateNominationTriggersInsertPerStatement: AsyncMigration {
    static let all = [CreateNominationTally.triggers, CreateNominationNameIndex.triggers, CreateNominationComposition.triggers]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            for triggers in Self.all {
                try await triggers.drop(on: sql)
                try await triggers.install(on: sql)
            }
        }
    }

    /// The per-statement triggers count exactly what the row triggers did: nothing to undo.
    func revert(on database: any Database) async throws {}
}
