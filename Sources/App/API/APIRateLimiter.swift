import Foundation
import Vapor

/// Requests per token, each instance on its own: a bucket of `burst` requests refilled at `perMinute`, so a
/// platform's sync runs at full speed for a while and a runaway loop is slowed before it troubles anyone.
actor APIRateLimiter {
    let perMinute: Double
    let burst: Double
    private var buckets: [Int: (tokens: Double, at: Date)] = [:]

    init(perMinute: Int = 120, burst: Int = 60) {
        self.perMinute = Double(perMinute)
        self.burst = Double(burst)
    }

    /// Takes one request for `token`; nil when allowed, else the seconds to wait.
    func take(_ token: Int, at now: Date) -> Int? {
        var bucket = buckets[token] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + now.timeIntervalSince(bucket.at) * perMinute / 60)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            buckets[token] = bucket
            return max(1, Int(((1 - bucket.tokens) * 60 / perMinute).rounded(.up)))
        }
        bucket.tokens -= 1
        buckets[token] = bucket
        return nil
    }
}

extension Application {
    private struct RateKey: StorageKey { typealias Value = APIRateLimiter }

    var apiRateLimiter: APIRateLimiter {
        get { storage[RateKey.self] ?? APIRateLimiter() }
        set { storage[RateKey.self] = newValue }
    }
}
