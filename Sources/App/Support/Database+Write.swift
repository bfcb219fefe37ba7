import Fluent
import SQLKit

extension Database {
    /// Runs `body` as one write transaction.
    ///
    /// SQLite's default `BEGIN` is deferred: two transactions that both read and then write fail with
    /// "database is locked" instead of waiting. `BEGIN IMMEDIATE` takes the write lock up front, so
    /// concurrent writers queue behind the busy handler. PostgreSQL uses an ordinary transaction; code
    /// that must not lose updates there uses version columns or row locks.
    /// Do not nest: inside `body`, use the database handed in.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else {
            return try await transaction(body)
        }
        return try await withConnection { connection in
            let sqlConnection = connection as! any SQLDatabase
            try await sqlConnection.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sqlConnection.raw("COMMIT").run()
                return result
            } catch {
                try? await sqlConnection.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }
}
