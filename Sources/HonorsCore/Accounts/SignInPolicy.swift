import Foundation

/// Lockout and session lifetime rules, kept free of storage so they are tested with plain dates.
public enum SignInPolicy {
    public static let maximumFailures = 5
    /// Accounts (and names that are no account) failed from one client address within `lockout`: beyond them
    /// the address must wait.
    public static let maximumFailuresPerAddress = 20
    public static let lockout: TimeInterval = 15 * 60
    public static let idleTimeout: TimeInterval = 30 * 60
    public static let absoluteTimeout: TimeInterval = 12 * 60 * 60

    public static func isLocked(until: Date?, now: Date) -> Bool {
        guard let until else { return false }
        return now < until
    }

    /// A session lives while it has been used in the last 30 minutes and is less than 12 hours old.
    public static func sessionIsAlive(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) < idleTimeout && now.timeIntervalSince(createdAt) < absoluteTimeout
    }
}
