import Fluent
import SQLKit
import Vapor

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = Slots }

    /// One writer at a time inside this process.
    var writeGate: Slots {
        if let gate = storage[WriteGateKey.self] { return gate }
        let gate = Slots(1, maxWaiting: .max)  // writes queue however many there are
        storage[WriteGateKey.self] = gate
        return gate
    }

    /// Runs `body` as one write transaction: every change Honors makes goes through here.
    ///
    /// SQLite's default `BEGIN` is deferred: two transactions that both read and then write fail with
    /// "database is locked". Here writers queue in-process (`WriteGate`), and `BEGIN IMMEDIATE` with a busy
    /// timeout makes them wait for writers of other processes (`honors user create` while serving).
    /// PostgreSQL uses an ordinary transaction that first locks the audit chain's head; code that must not
    /// lose updates there uses version columns or row locks as well. Do not nest: inside `body`, use the database handed in.
    func write<T: Sendable>(on database: any Database,
                            _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let asked = DispatchTime.now().uptimeNanoseconds
        HonorsMetrics.writesInProgress.increment()
        defer { HonorsMetrics.writesInProgress.decrement() }
        guard database.isSQLite else {
            return try await database.transaction { db in
                // The audit chain's head is the first lock every write takes: appends to the chain go in turn,
                // and locks are always taken in one order, so two writes never wait on each other in a circle.
                try await (db as! any SQLDatabase).raw("SELECT id FROM audit_chain WHERE id = 1 FOR UPDATE").run()
                HonorsMetrics.writeWaited(nanoseconds: DispatchTime.now().uptimeNanoseconds - asked, engine: "postgres")
                return try await body(db)
            }
        }
        let gate = writeGate
        try await gate.acquire()
        HonorsMetrics.writeWaited(nanoseconds: DispatchTime.now().uptimeNanoseconds - asked, engine: "sqlite")
        do {
            let result = try await database.withConnection { connection in
                let sql = connection as! any SQLDatabase
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(connection)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await write(on: db, body)
    }
}

extension Request {
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await application.write(on: db, body)
    }
}

extension Database {
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }
}
