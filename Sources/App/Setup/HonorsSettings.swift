import Foundation
import Vapor

/// Everything Honors reads from the environment, in one place (the README's configuration table mirrors it).
struct HonorsSettings: Sendable {
    /// `HONORS_DATA_DIR`: the SQLite file, the secret key and uploads live here. Default `./data`.
    var dataDirectory: String
    /// `DATABASE_URL`: `postgres://user:pass@host:port/db` selects PostgreSQL; unset means SQLite.
    var databaseURL: String?
    /// `HONORS_SECURE_COOKIES=1`: mark cookies Secure (set it when served over HTTPS).
    var secureCookies: Bool
    /// `HONORS_BCRYPT_COST`: bcrypt work factor, default 12.
    var bcryptCost: Int
    /// `HONORS_TRUSTED_PROXIES`: comma-separated socket addresses of reverse proxies whose
    /// `X-Forwarded-For` is believed. Empty: the socket address is the client.
    var trustedProxies: Set<String>
    /// `HONORS_PDF_WORKERS`: LibreOffice conversions run at once (each with its own profile), default 2.
    var pdfWorkers: Int
    /// `HONORS_JOB_LEASE_SECONDS`: how long a background job (a package, re-sealing) stays an instance's
    /// without a sign of life before another instance takes it over. Default 60.
    var jobLease: TimeInterval
    /// `HONORS_JOB_POLL_SECONDS`: how often an idle instance looks for queued or abandoned jobs. Default 5.
    var jobPoll: TimeInterval
    /// `HONORS_METRICS_ALLOW`: comma-separated client addresses that may read `GET /metrics`. Default the
    /// machine itself (`127.0.0.1,::1`); empty turns the page off.
    var metricsAllowed: Set<String>
    /// `HONORS_TEMPLATE_RELOAD=1`: read the templates again on every page, for editing them; by default each
    /// is parsed once.
    var templateReload: Bool
    /// `HONORS_API_RATE`: requests a minute one API token may make, after a burst of half as many. Default 120.
    var apiRate: Int

    static func fromEnvironment() -> HonorsSettings {
        let env = ProcessInfo.processInfo.environment
        return HonorsSettings(
            dataDirectory: env["HONORS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data",
            databaseURL: env["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            secureCookies: env["HONORS_SECURE_COOKIES"] == "1",
            bcryptCost: env["HONORS_BCRYPT_COST"].flatMap(Int.init) ?? 12,
            trustedProxies: Set((env["HONORS_TRUSTED_PROXIES"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
            pdfWorkers: min(8, max(1, env["HONORS_PDF_WORKERS"].flatMap(Int.init) ?? 2)),
            jobLease: TimeInterval(max(2, env["HONORS_JOB_LEASE_SECONDS"].flatMap(Int.init) ?? 60)),
            jobPoll: TimeInterval(max(1, env["HONORS_JOB_POLL_SECONDS"].flatMap(Int.init) ?? 5)),
            metricsAllowed: Set((env["HONORS_METRICS_ALLOW"] ?? "127.0.0.1,::1").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
            templateReload: env["HONORS_TEMPLATE_RELOAD"] == "1",
            apiRate: max(1, env["HONORS_API_RATE"].flatMap(Int.init) ?? 120)
        )
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = HonorsSettings }

    var honors: HonorsSettings {
        get { storage[SettingsKey.self] ?? .fromEnvironment() }
        set { storage[SettingsKey.self] = newValue }
    }
}
