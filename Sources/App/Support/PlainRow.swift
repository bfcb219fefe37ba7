import FluentSQLiteDriver
import SQLKit

/// A row of a read, its values taken by column name. On SQLite straight from SQLiteNIO's values: SQLKit's decoder
/// looks each value's type up at run time (generic metadata, a cast to `SQLiteDataConvertible`, a decoder object
/// for an optional), which was a tenth of the composition report's time for a few hundred rows. Values convert as
/// SQLKit converts them (`SQLiteDataConvertible`), so the two answer alike; elsewhere it is SQLKit's row.
struct PlainRow: Sendable {
    private enum Storage: Sendable {
        case sqlite(SQLiteRow)
        case sql(any SQLRow)
    }

    private let storage: Storage

    init(_ row: any SQLRow) { storage = .sql(row) }
    init(sqlite row: SQLiteRow) { storage = .sqlite(row) }

    /// Whether the values are SQLite's own, read here (for the tests).
    var readsDirectly: Bool {
        if case .sqlite = storage { true } else { false }
    }

    /// Whether the statement gave `column`.
    func contains(column: String) -> Bool {
        switch storage {
        case .sql(let row): row.contains(column: column)
        case .sqlite(let row): row.column(column) != nil
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let column: String
        let type: Any.Type
        var description: String { "column \(column) cannot be read as \(type)" }
    }

    func decode<T: SQLiteDataConvertible & Decodable>(column: String, as type: T.Type = T.self) throws -> T {
        switch storage {
        case .sql(let row): return try row.decode(column: column, as: T.self)
        case .sqlite(let row):
            guard let data = row.column(column), let value = T(sqliteData: data) else { throw Unreadable(column: column, type: T.self) }
            return value
        }
    }

    /// nil for NULL.
    func decode<T: SQLiteDataConvertible & Decodable>(column: String, as type: T?.Type) throws -> T? {
        switch storage {
        case .sql(let row): return try row.decode(column: column, as: T?.self)
        case .sqlite(let row):
            guard let data = row.column(column) else { throw Unreadable(column: column, type: T?.self) }
            if data == .null { return nil }
            guard let value = T(sqliteData: data) else { throw Unreadable(column: column, type: T?.self) }
            return value
        }
    }
}

extension SQLQueryFetcher {
    /// Every row of the statement, as `PlainRow`s.
    ///
    /// SQLite's driver hands each row back to the event loop as a task of its own and waits for them as futures:
    /// cheap for a page of fifty rows, but for a read of hundreds (the composition report's counts) a sixth of the
    /// page. With `many` the rows are collected on the thread that steps the statement instead, for the price of
    /// one task per statement, which is more than the futures cost a page of a list (measured in
    /// docs/benchmarks.md).
    func plainRows(many: Bool = false) async throws -> [PlainRow] {
        guard let sqlite = database as? any SQLiteDatabase else { return try await all().map(PlainRow.init) }
        let (sql, binds) = database.serialize(query)
        let values = try binds.map(SQLiteValue.data)
        guard many else { return try await sqlite.query(sql, values).map(PlainRow.init(sqlite:)) }
        return try await sqlite.withConnection { connection in
            // The connection's own `async` query calls back on the stepping thread.
            try await connection.query(sql, values).map(PlainRow.init(sqlite:))
        }
    }
}
