import Foundation
import SQLKit
import Vapor

/// The waiting packages are rows of `package_jobs`, shared by every instance on the database: an instance
/// claims the oldest queued one, or one whose builder stopped renewing its lease (its instance died), and
/// builds it; `FOR UPDATE SKIP LOCKED` lets two instances claiming at once take different jobs on PostgreSQL.
enum PackageQueue {
    /// Builds started at most this often: a package that brought down its instance three times is failed.
    static let maxAttempts = 3

    /// Claims the next package for this instance, or nil when none waits.
    static func claimNext(_ app: Application) async throws -> Int? {
        let now = app.clock.now(), me = app.instanceName
        let until = now.addingTimeInterval(app.honors.jobLease)
        _ = try await app.claim("""
            UPDATE package_jobs SET state = \(bind: PackageJob.State.failed.rawValue), claimed_by = NULL,
                note = \(bind: "多次生成未能完成，请重新生成；如仍失败请联系管理员。"), updated_at = \(bind: now)
            WHERE state = \(bind: PackageJob.State.running.rawValue) AND COALESCE(lease_until, updated_at) < \(bind: now)
                AND attempts >= \(bind: maxAttempts)
            """)
        let skipLocked: SQLQueryString = app.db.isSQLite ? "" : "FOR UPDATE SKIP LOCKED"
        let rows = try await app.claim("""
            UPDATE package_jobs SET state = \(bind: PackageJob.State.running.rawValue), claimed_by = \(bind: me),
                lease_until = \(bind: until), attempts = attempts + 1, updated_at = \(bind: now)
            WHERE id = (SELECT id FROM package_jobs
                        WHERE (state = \(bind: PackageJob.State.queued.rawValue)
                               OR (state = \(bind: PackageJob.State.running.rawValue) AND COALESCE(lease_until, updated_at) < \(bind: now)))
                          AND attempts < \(bind: maxAttempts)
                        ORDER BY id LIMIT 1 \(skipLocked))
            RETURNING id
            """)
        return try rows.first?.decode(column: "id", as: Int.self)
    }

    /// Puts a package this instance was building back in the queue (the instance is stopping): the next
    /// instance to look, or this one after its restart, builds it from the start.
    static func release(_ app: Application, jobID: Int) async throws {
        _ = try await app.claim("""
            UPDATE package_jobs SET state = \(bind: PackageJob.State.queued.rawValue), claimed_by = NULL,
                lease_until = NULL, attempts = attempts - 1, updated_at = \(bind: app.clock.now())
            WHERE id = \(bind: jobID) AND claimed_by = \(bind: app.instanceName)
            RETURNING id
            """)
    }
}
