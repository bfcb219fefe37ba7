import Fluent
import Foundation
import SQLKit
import Vapor

extension Application {
    private struct InstanceKey: StorageKey { typealias Value = String }

    /// This process among the instances that share one database: host, process id and a random part, so a
    /// restarted process never takes its predecessor's claims for its own.
    var instanceName: String {
        if let name = storage[InstanceKey.self] { return name }
        let name = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
        storage[InstanceKey.self] = name
        return name
    }
}

extension Application {
    /// One claiming statement, atomic by itself: on PostgreSQL it runs as it is (it takes no audit-chain lock,
    /// and `FOR UPDATE SKIP LOCKED` inside it lets instances pass each other); on SQLite it queues with the
    /// other writes.
    func claim(_ statement: SQLQueryString) async throws -> [any SQLRow] {
        guard db.isSQLite else { return try await (db as! any SQLDatabase).raw(statement).all() }
        return try await write { db in try await (db as! any SQLDatabase).raw(statement).all() }
    }
}

/// A one-of-a-kind background job held by one instance at a time (`leases`): taken when free or run out,
/// kept by taking it again before it runs out, given back when done. An instance that dies holds it no
/// longer than one lease; the same statement decides on both engines, so no process-local lock is relied on.
struct Lease: Sendable {
    let name: String
    let app: Application

    /// Takes or renews the lease for this instance; false while another instance holds it.
    func acquire() async throws -> Bool {
        let now = app.clock.now(), me = app.instanceName
        let until = now.addingTimeInterval(app.honors.jobLease)
        let rows = try await app.claim("""
            INSERT INTO leases (name, holder, until) VALUES (\(bind: name), \(bind: me), \(bind: until))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
            WHERE leases.until < \(bind: now) OR leases.holder = excluded.holder
            RETURNING holder
            """)
        return !rows.isEmpty
    }

    /// Whether another instance holds the lease and has not let it run out.
    static func held(name: String, app: Application) async throws -> Bool {
        let rows = try await (app.db as! any SQLDatabase).raw("""
            SELECT holder FROM leases WHERE name = \(bind: name) AND until >= \(bind: app.clock.now())
            AND holder <> \(bind: app.instanceName)
            """).all()
        return !rows.isEmpty
    }

    /// Gives the lease back at once, if this instance holds it.
    func release() async throws {
        _ = try await app.claim("DELETE FROM leases WHERE name = \(bind: name) AND holder = \(bind: app.instanceName)")
    }

    struct Lost: Error, CustomStringConvertible {
        let name: String
        var description: String { "lease \(name) was taken over by another instance" }
    }

    /// Runs `body` while holding the lease, or returns nil at once when another instance holds it. `body`
    /// calls the heartbeat it is given between steps; it renews the lease and throws `Lost` if it ran out
    /// and another instance took the job, or `CancellationError` (the lease given back) once the instance
    /// is stopping (`StopSignal`).
    func run<T: Sendable>(_ body: @Sendable (_ heartbeat: @Sendable () async throws -> Void) async throws -> T) async throws -> T? {
        guard try await acquire() else { return nil }
        do {
            let result = try await body {
                if app.stopSignal.isSet { throw CancellationError() }
                guard try await acquire() else { throw Lost(name: name) }
            }
            try? await release()
            return result
        } catch {
            if !(error is Lost) { try? await release() }
            throw error
        }
    }
}
