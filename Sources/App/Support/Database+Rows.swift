import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
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
        guard let sqlite = self as? any SQLiteDatabase else {
            for start in stride(from: 0, to: models.count, by: perStatement) {
                var insert = (self as! any SQLDatabase).insert(into: T.schema).columns(columns)
                for model in models[start..<min(start + perStatement, models.count)] {
                    insert = insert.values(ids ? [model.id] + model.row : model.row)
                }
                try await insert.run()
            }
            return
        }
        // The statement's text is written once per size and the values handed to SQLite as they are: through SQLKit
        // each of a batch's 30 000 values was serialised and encoded on its own, a third of the demo's write time.
        let head = "INSERT INTO \"\(T.schema)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
        let tuple = "(" + repeatElement("?", count: columns.count).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: models.count, by: perStatement) {
            let chunk = models[start..<min(start + perStatement, models.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * columns.count)
            for model in chunk {
                if ids { binds.append(try SQLiteValue.data(model.id)) }
                for value in model.row { binds.append(try SQLiteValue.data(value)) }
            }
            try await sqlite.query(head + repeatElement(tuple, count: chunk.count).joined(separator: ", "), binds) { _ in }
        }
    }
}

/// A value as SQLiteKit's encoder gives it to SQLite (the test holds the two together), with the common kinds
/// converted directly.
enum SQLiteValue {
    static let encoder = SQLiteDataEncoder()

    static func data(_ value: any Encodable & Sendable) throws -> SQLiteData {
        if let data = (value as? any SQLiteDataConvertible)?.sqliteData { return data }
        if let optional = value as? any OptionalValue, optional.isNone { return .null }
        if let flag = value as? Bool { return .integer(flag ? 1 : 0) }
        return try encoder.encode(value)
    }
}
