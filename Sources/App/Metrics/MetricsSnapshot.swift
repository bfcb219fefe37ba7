import Fluent
import Prometheus
import SQLKit
import Vapor

/// What is read at each scrape rather than counted as it happens: the PDF queue, the write gate, the
/// database's connections, the package queue and the background leases. Each is one small query or an
/// actor's counter, so a scrape every few seconds costs nothing a page would notice.
struct MetricsSnapshot {
    let app: Application
    let db: any Database

    func record(into registry: PrometheusCollectorRegistry) async {
        let pdf = app.pdf
        registry.makeGauge(name: "honors_pdf_workers", help: "LibreOffice profiles (HONORS_PDF_WORKERS)")
            .set(Double(pdf.size))
        registry.makeGauge(name: "honors_pdf_conversions_running", help: "PDF conversions running now")
            .set(Double(await pdf.running))
        registry.makeGauge(name: "honors_pdf_queue_length", help: "PDF conversions waiting for a LibreOffice profile")
            .set(Double(await pdf.queued))
        registry.makeGauge(name: "honors_db_write_gate_waiting",
                           help: "write transactions waiting for this process's write gate (SQLite)")
            .set(Double(await app.writeGate.waiting))
        registry.makeGauge(name: "honors_db_pool_max_connections",
                           help: "database connections this process may open (PostgreSQL; 0 on SQLite)")
            .set(Double(app.databasePoolLimit))

        guard let sql = db as? any SQLDatabase else { return }
        do {
            if !db.isSQLite {
                // Every instance's connections to this database, by state: what the server's max_connections
                // is spent on.
                var byState = ["active": 0, "idle": 0, "idle in transaction": 0]
                for row in try await sql.raw("""
                    SELECT COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM pg_stat_activity
                    WHERE datname = current_database() GROUP BY 1
                    """).all() {
                    byState[try row.decode(column: "state", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
                }
                for (state, count) in byState {
                    registry.makeGauge(name: "honors_db_connections", labels: [("state", state)],
                                       help: "connections to the database from every instance, by state")
                        .set(Double(count))
                }
            }
            var jobs = Dictionary(uniqueKeysWithValues: ["queued", "running", "done", "failed"].map { ($0, 0) })
            for row in try await sql.raw("SELECT state, COUNT(*) AS n FROM package_jobs GROUP BY state").all() {
                jobs[try row.decode(column: "state", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
            }
            for (state, count) in jobs {
                registry.makeGauge(name: "honors_package_jobs", labels: [("state", state)],
                                   help: "material packages in the database, by state")
                    .set(Double(count))
            }
            var leases = 0
            var mine = 0
            for row in try await sql.raw("SELECT holder FROM leases WHERE until >= \(bind: app.clock.now())").all() {
                leases += 1
                if try row.decode(column: "holder", as: String.self) == app.instanceName { mine += 1 }
            }
            registry.makeGauge(name: "honors_background_leases", labels: [("holder", "any")],
                               help: "one-at-a-time background jobs (re-sealing) held now")
                .set(Double(leases))
            registry.makeGauge(name: "honors_background_leases", labels: [("holder", "this_instance")],
                               help: "one-at-a-time background jobs (re-sealing) held now")
                .set(Double(mine))
            registry.makeGauge(name: "honors_database_up", help: "1 when the database answered this scrape").set(Double(1))
        } catch {
            app.logger.warning("metrics: \(String(reflecting: error))")
            registry.makeGauge(name: "honors_database_up", help: "1 when the database answered this scrape").set(Double(0))
        }
    }
}
