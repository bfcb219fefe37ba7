import Fluent
import SQLKit

extension Database {
    /// Moves a row from version `expected` to `expected + 1`, and tells whether this call did it.
    ///
    /// One conditional `UPDATE … RETURNING`: of two saves against the same version exactly one gets the row
    /// back (on PostgreSQL the second waits for the first's row lock, then finds the version moved on). The
    /// caller writes its fields afterwards in the same transaction, on a row that is now its own.
    func claimVersion(of table: String, id: Int, expected: Int) async throws -> Bool {
        guard let sql = self as? any SQLDatabase else { return false }
        let rows = try await sql.raw("""
            UPDATE \(ident: table) SET version = \(bind: expected + 1)
            WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING id
            """).all()
        return !rows.isEmpty
    }
}
