import CoreMetrics
import Foundation
import Prometheus
import Vapor

/// The process's metrics, in the Prometheus text format at `GET /metrics`.
///
/// Vapor reports every request through swift-metrics (`http_requests_total`, `http_request_errors_total` and
/// the `http_request_duration_seconds` histogram, by method, route pattern and status; an unknown path counts as
/// `vapor_route_undefined`, so a scan of random URLs cannot grow the table). Honors adds its own below; what can
/// be read when it is asked for (queues, jobs, connections) is read at each scrape by `MetricsSnapshot`.
enum HonorsMetrics {
    /// One registry per process: swift-metrics takes one factory, once, whichever application asks first.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Pages are meant to answer in a few milliseconds: finer buckets at the low end than the default.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(20),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Time from asking for a write transaction to being inside it: the wait for the write gate (SQLite) or
    /// for a pooled connection and the audit chain's lock (PostgreSQL).
    static func writeWaited(nanoseconds: UInt64, engine: String) {
        CoreMetrics.Timer(label: "honors_db_write_wait_seconds", dimensions: [("engine", engine)],
                          preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Write transactions under way in this process.
    static let writesInProgress = Meter(label: "honors_db_writes_in_progress")

    /// A material package finished building here, or failed.
    static func packageBuilt(_ outcome: String) {
        Counter(label: "honors_package_builds_total", dimensions: [("outcome", outcome)]).increment()
    }
}

extension Application {
    private struct PoolLimitKey: StorageKey { typealias Value = Int }

    /// The most database connections this process opens (PostgreSQL: per event loop × loops; 0 on SQLite).
    var databasePoolLimit: Int {
        get { storage[PoolLimitKey.self] ?? 0 }
        set { storage[PoolLimitKey.self] = newValue }
    }
}
