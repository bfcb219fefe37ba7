import Fluent
import SQLKit

extension Database {
    /// `count` fresh ids of `table`'s `id` column, for rows written many to one INSERT (which does not say
    /// which id each row got) that other rows must point to. Inside the caller's write: on SQLite the writer
    /// is alone, and the ids continue after the highest, as SQLite's own rowids do; on PostgreSQL they are
    /// drawn from the column's sequence.
    func reserveIDs(in table: String, count: Int) async throws -> [Int] {
        guard count > 0 else { return [] }
        let sql = self as! any SQLDatabase
        if isSQLite {
            let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS top FROM \(ident: table)").first()
            let top = try row?.decode(column: "top", as: Int.self) ?? 0
            return Array(top + 1...top + count)
        }
        return try await sql.raw("""
            SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: count))
            """).all().map { try $0.decode(column: "id", as: Int.self) }
    }
}
