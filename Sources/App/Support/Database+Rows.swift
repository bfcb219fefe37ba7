import Fluent
import FluentPostgresDriver
import SQLKit

/// A model that can be written many rows to one INSERT straight from its fields. Fluent builds each model's
/// input by reflection, which costs more than the insert itself when thousands are written at once (a bulk
/// approval's audit events, the demo's replicas). `RowWritableTests` holds each list to the model's fields.
protocol RowWritable: Model {
    /// Every column but `id`, in the order of `row`.
    static var columns: [String] { get }
    var row: [any Encodable & Sendable] { get }
}

extension Database {
    /// Inserts `models` inside the caller's write: on PostgreSQL as one COPY (`PostgresCopy`), on SQLite as many
    /// to a statement as its bind limit allows.
    /// With `ids` every model's id is written (reserved beforehand, `reserveIDs`); without, the database numbers them.
    func insertRows<T: RowWritable>(_ models: [T], ids: Bool = false) async throws where T.IDValue == Int {
        guard !models.isEmpty else { return }
        if let postgres = self as? any PostgresDatabase {
            try await PostgresCopy.Rows(models, ids: ids).send(on: postgres, logger: logger)
            return
        }
        let columns = (ids ? ["id"] : []) + T.columns
        // SQLite takes 32 766 values to a statement.
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: models.count, by: perStatement) {
            var insert = (self as! any SQLDatabase).insert(into: T.schema).columns(columns)
            for model in models[start..<min(start + perStatement, models.count)] {
                insert = insert.values(ids ? [model.id] + model.row : model.row)
            }
            try await insert.run()
        }
    }
}
