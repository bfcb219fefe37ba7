import Foundation

/// Lockout and session lifetime rules, kept free of storage so they are tested with plain dates.
public enum SignInPolicy {
    public static let maximumFailures = 5
    public static let lockout: TimeInterval = 15 * 60
    public static let idleTimeout: TimeInterval = 30 * 60
    public static let absoluteTimeout: TimeInterval = 12 * 60 * 60

    /// After a failed attempt: the new failure count, and the lock end when this failure reached the limit.
    public static func afterFailure(previousFailures: Int, now: Date) -> (failures: Int, lockedUntil: Date?) {
        let failures = previousFailures + 1
        return failures >= maximumFailures ? (0, now.addingTimeInterval(lockout)) : (failures, nil)
    }

    public static func isLocked(until: Date?, now: Date) -> Bool {
        guard let until else { return false }
        return now < until
    }

    /// A session lives while it has been used in the last 30 minutes and is less than 12 hours old.
    public static func sessionIsAlive(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) < idleTimeout && now.timeIntervalSince(createdAt) < absoluteTimeout
    }
}
