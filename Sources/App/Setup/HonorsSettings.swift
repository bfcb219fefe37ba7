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

    static func fromEnvironment() -> HonorsSettings {
        let env = ProcessInfo.processInfo.environment
        return HonorsSettings(
            dataDirectory: env["HONORS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data",
            databaseURL: env["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            secureCookies: env["HONORS_SECURE_COOKIES"] == "1",
            bcryptCost: env["HONORS_BCRYPT_COST"].flatMap(Int.init) ?? 12,
            trustedProxies: Set((env["HONORS_TRUSTED_PROXIES"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
            pdfWorkers: min(8, max(1, env["HONORS_PDF_WORKERS"].flatMap(Int.init) ?? 2))
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
