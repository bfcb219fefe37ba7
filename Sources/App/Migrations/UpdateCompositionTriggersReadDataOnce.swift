import Fluent
import SQLKit

/// PostgreSQL: the composition's triggers read a row's facets out of `data` in one pass (`json_to_record`)
/// instead of one `->>` scan per facet. Databases made before are given the new triggers, dropped and made again
/// in one transaction, as in `UpdateNominationTriggersInsertPerStatement`. SQLite's triggers are unchanged.
struct UpdateCompositionTriggersReadDataOnce: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            try await CreateNominationComposition.triggers.drop(on: sql)
            try await CreateNominationComposition.triggers.install(on: sql)
        }
    }

    /// The new triggers count exactly what the old ones did: nothing to undo.
    func revert(on database: any Database) async throws {}
}
