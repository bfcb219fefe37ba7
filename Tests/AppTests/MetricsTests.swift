@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// `GET /metrics`: the monitor's page. The registry is the process's, so these run one at a time and compare
/// counters before and after rather than expecting exact totals.
@Suite("Metrics", .serialized)
struct MetricsTests {
    /// The value of the one sample whose line starts with `series` (name and labels as printed).
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    static func status(_ browser: Browser) async throws -> HTTPStatus {
        try await browser.get("/metrics").status
    }

    @Test("from an address not allowed there is no such page; the allowed address gets the Prometheus text format")
    func allowedAddressesOnly() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("admin1", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("admin1")
            // The test client has no socket address ("unknown"), which the default (127.0.0.1, ::1) leaves out.
            #expect(try await admin.get("/metrics").status == .notFound, "signed in as administrator is not enough")
            app.honors.metricsAllowed = []
            #expect(try await Browser(app).get("/metrics").status == .notFound, "empty turns it off")

            app.honors.metricsAllowed = ["unknown"]
            let page = try await Browser(app).get("/metrics")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(page.text.contains("# TYPE http_requests_total counter"))
            #expect(page.text.contains("# TYPE http_request_duration_seconds histogram"))
            #expect(!page.text.contains("Set-Cookie"))
            #expect(page.headers.first(name: .setCookie) == nil, "no session is started for the monitor")
        }
    }

    @Test("behind a proxy the client's address counts, and a forwarded request from a proxy not trusted is refused")
    func behindProxy() async throws {
        try await withHonorsApp { app, _ async throws in
            let browser = Browser(app)
            // The proxy (the socket, "unknown" here) is allowed, but a visitor came through it.
            app.honors.metricsAllowed = ["unknown"]
            browser.forwardedFor = "203.0.113.9"
            #expect(try await Self.status(browser) == .notFound, "an untrusted proxy cannot pass visitors on")
            app.honors.trustedProxies.insert("unknown")
            #expect(try await Self.status(browser) == .notFound, "the visitor's own address is not allowed")
            app.honors.metricsAllowed = ["10.0.0.5"]
            browser.forwardedFor = "10.0.0.5"
            #expect(try await Self.status(browser) == .ok, "the monitor's address, passed on by the trusted proxy")
            browser.forwardedFor = "10.0.0.5, 203.0.113.9"
            #expect(try await Self.status(browser) == .notFound, "a forged first entry is not believed")
        }
    }

    @Test("requests are counted by route pattern and status, writes' waits are timed, queues and jobs are read at each scrape")
    func figures() async throws {
        try await withHonorsApp { app, _ in
            app.honors.metricsAllowed = ["unknown"]
            let monitor = Browser(app)
            let before = try await monitor.get("/metrics").text
            let loginSeries = #"http_requests_total{method="GET",path="/login",status="200"}"#
            let missingSeries = #"http_requests_total{method="undefined",path="vapor_route_undefined",status="404"}"#
            for _ in 1...3 { try await Browser(app).get("/login") }
            try await Browser(app).get("/no-such-page-\(UUID().uuidString)")
            try await app.makeUser("admin1", role: .admin)  // a write through app.write
            try await Browser(app).signIn("admin1")         // another: the session and its audit event

            // Three packages waiting, one failed: the gauges say so whatever other tests did before.
            for state in ["queued", "queued", "queued", "failed"] {
                let job = PackageJob()
                job.$campaign.id = 1
                job.requestedBy = "admin1"
                job.withPDF = false
                job.fullPersonalData = false
                job.state = state
                job.done = 0
                job.total = 0
                job.updatedAt = app.clock.now()
                try await job.create(on: app.db)
            }
            let after = try await monitor.get("/metrics").text
            let engine = app.db.isSQLite ? "sqlite" : "postgres"
            #expect((Self.sample(after, loginSeries) ?? 0) - (Self.sample(before, loginSeries) ?? 0) >= 3)
            #expect((Self.sample(after, missingSeries) ?? 0) - (Self.sample(before, missingSeries) ?? 0) >= 1,
                    "an unknown path is one series, not one per URL")
            #expect(!after.contains("no-such-page"))
            let waits = #"honors_db_write_wait_seconds_count{engine="\#(engine)"}"#
            #expect((Self.sample(after, waits) ?? 0) - (Self.sample(before, waits) ?? 0) >= 2)
            #expect(Self.sample(after, #"honors_package_jobs{state="queued"}"#) == 3)
            #expect(Self.sample(after, #"honors_package_jobs{state="failed"}"#) == 1)
            #expect(Self.sample(after, #"honors_package_jobs{state="running"}"#) == 0)
            #expect(Self.sample(after, "honors_pdf_queue_length") == 0)
            #expect(Self.sample(after, "honors_pdf_workers") == Double(app.pdf.size))
            #expect(Self.sample(after, "honors_database_up") == 1)
            if !app.db.isSQLite {
                #expect((Self.sample(after, #"honors_db_connections{state="active"}"#) ?? 0) >= 1, "the scrape's own query")
                #expect((Self.sample(after, "honors_db_pool_max_connections") ?? 0) > 0)
            }
        }
    }
}
