import Fluent
import FluentSQL
import SQLKit

extension Database {
    /// The `T` whose id is `id`, read by one plain statement into the model Fluent would give. A Fluent query writes
    /// every column as a qualified, aliased identifier through SQLKit, whose quoting costs more than the read
    /// itself for a wide model (a nomination has 33 columns; this was a sixth of its page).
    func model<T: Model>(_ type: T.Type, id: Int) async throws -> T? where T.IDValue == Int {
        try await (self as! any SQLDatabase).raw("SELECT * FROM \(ident: T.schema) WHERE id = \(bind: id)").first()?
            .decode(model: T.self)
    }

    /// The `T` whose id is `id` and the `P` its column `parent` names, read by one statement (a nomination's page
    /// and every action on it read the nomination with its campaign; a statement is a hand-off to the database
    /// and back). nil when either is missing.
    func model<T: Model, P: Model>(_ type: T.Type, id: Int, with parentType: P.Type, on parent: String) async throws -> (T, P)?
    where T.IDValue == Int {
        // The parent's columns under names of their own ("parent.title"), beside the child's as they are.
        let columns = P.keys.map { key in
            SQLQueryString("p.\(ident: key.description) AS \(ident: ParentColumns.prefix + key.description)")
        }
        guard let row = try await (self as! any SQLDatabase).raw("""
            SELECT t.*, \(SQLList(columns)) FROM \(ident: T.schema) AS t JOIN \(ident: P.schema) AS p ON p.id = t.\(ident: parent) \
            WHERE t.id = \(bind: id)
            """).first()
        else { return nil }
        return (try row.decode(model: T.self), try ParentColumns(row: row).decode(model: P.self))
    }
}

/// A joined row's parent columns under their own names, for Fluent to read the parent model from.
private struct ParentColumns: SQLRow {
    static let prefix = "parent."
    let row: any SQLRow

    var allColumns: [String] { row.allColumns.filter { $0.hasPrefix(Self.prefix) }.map { String($0.dropFirst(Self.prefix.count)) } }
    func contains(column: String) -> Bool { row.contains(column: Self.prefix + column) }
    func decodeNil(column: String) throws -> Bool { try row.decodeNil(column: Self.prefix + column) }
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D { try row.decode(column: Self.prefix + column, as: D.self) }
}
