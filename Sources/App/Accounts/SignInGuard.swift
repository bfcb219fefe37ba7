import Fluent
import Foundation
import HonorsCore
import Vapor

/// Decides whether a sign-in may compare its password at all, before it does: the try is reserved in the
/// database, in a write transaction (writes go one at a time on both engines), so a burst of parallel guesses
/// gets no more tries than the limit, and a right password arriving in the burst after them is refused too.
enum SignInGuard {
    enum Answer: Equatable {
        /// May compare; the try is counted already.
        case allowed
        /// This account is locked for this address.
        case locked
        /// This address has failed too often over all accounts.
        case throttled
    }

    static func key(_ userID: Int?) -> Int { userID ?? 0 }

    /// Where one-time codes are counted besides the client's address: per account, from wherever they come.
    /// Whoever reaches the code step knows the password; 6 digits must not be guessed 5 at a time from each of
    /// many addresses.
    static let codesFromAnywhere = "（验证码：所有地址）"

    /// One code try at the account from anywhere, or its refusal (beside the address's own count at sign-in).
    static func reserveCode(userID: Int, now: Date, on db: any Database) async throws -> Answer {
        try await reserve(userID: userID, address: codesFromAnywhere, now: now, on: db)
    }

    /// After a wrong code: whether it locks the code step of the account.
    static func codeFailed(userID: Int, now: Date, on db: any Database) async throws -> Bool {
        try await failed(userID: userID, address: codesFromAnywhere, now: now, on: db)
    }

    /// Counts one try at `userID` (nil: no such account) from `address`, or refuses it.
    static func reserve(userID: Int?, address: String, now: Date, on db: any Database) async throws -> Answer {
        let window = now.addingTimeInterval(-SignInPolicy.lockout)
        // Many accounts tried from here: each account with failures counts one, each name that is no account one.
        // (Tries at one account are that account's own limit; an office behind one address is not slowed by them.)
        // `codesFromAnywhere` is no address: it has no limit over accounts.
        let recent = address == codesFromAnywhere ? 0 : try await SignInAttempt.query(on: db).filter(\.$address == address).filter(\.$updatedAt > window)
            .field(\.$id).field(\.$userID).field(\.$failures).all()
            .reduce(0) { $0 + ($1.userID == 0 ? $1.failures : 1) }
        let row = try await SignInAttempt.query(on: db).filter(\.$userID == key(userID)).filter(\.$address == address).first()
            ?? SignInAttempt()
        if SignInPolicy.isLocked(until: row.lockedUntil, now: now) { return .locked }
        if recent >= SignInPolicy.maximumFailuresPerAddress { return .throttled }
        if row.id == nil {
            row.userID = key(userID)
            row.address = address
            row.failures = 0
        } else if row.lockedUntil != nil || row.updatedAt <= window {
            // A lock that ran out, or failures older than the window: a fresh start.
            row.failures = 0
            row.lockedUntil = nil
        }
        // Every try at this account from here is taken (some still comparing): refused. The lock's 15 minutes
        // start when one of them fails; should none ever answer, the window ends the count.
        if userID != nil, row.failures >= SignInPolicy.maximumFailures { return .locked }
        row.failures += 1
        row.updatedAt = now
        try await row.save(on: db)
        return .allowed
    }

    /// After a wrong password: whether this failure locks the account for the address (the tries are used up and
    /// no lock runs yet). Names that are no account are never locked, only counted towards the address's limit.
    static func failed(userID: Int?, address: String, now: Date, on db: any Database) async throws -> Bool {
        guard let row = try await SignInAttempt.query(on: db).filter(\.$userID == key(userID))
            .filter(\.$address == address).first(), row.failures >= SignInPolicy.maximumFailures, userID != nil,
              !SignInPolicy.isLocked(until: row.lockedUntil, now: now) else { return false }
        row.lockedUntil = now.addingTimeInterval(SignInPolicy.lockout)
        try await row.save(on: db)
        return true
    }

    /// After the right password: this address starts afresh at this account.
    static func succeeded(userID: Int, address: String, on db: any Database) async throws {
        try await SignInAttempt.query(on: db).filter(\.$userID == userID).filter(\.$address ~~ [address, codesFromAnywhere]).delete()
    }

    /// Whether the account is locked from any address (the account page's badge).
    static func isLocked(_ userID: Int, now: Date, on db: any Database) async throws -> Bool {
        try await SignInAttempt.query(on: db).filter(\.$userID == userID).filter(\.$lockedUntil > now).count() > 0
    }

    /// The administrator's unlock: every address's count and lock at this account.
    static func unlock(_ userID: Int, on db: any Database) async throws -> Int {
        let rows = try await SignInAttempt.query(on: db).filter(\.$userID == userID).count()
        try await SignInAttempt.query(on: db).filter(\.$userID == userID).delete()
        return rows
    }

}

extension Application {
    /// On the sweep: sessions past their idle or absolute end, and failed tries that no longer count.
    func removeExpiredSignIns(now: Date) async throws {
        try await write(on: db) { db in
            try await UserSession.query(on: db).group(.or) {
                $0.filter(\.$lastSeenAt < now.addingTimeInterval(-SignInPolicy.idleTimeout))
                    .filter(\.$createdAt < now.addingTimeInterval(-SignInPolicy.absoluteTimeout))
            }.delete()
            try await SignInAttempt.query(on: db).filter(\.$updatedAt < now.addingTimeInterval(-2 * SignInPolicy.lockout))
                .filter(\.$lockedUntil == nil).delete()
            try await SignInAttempt.query(on: db).filter(\.$lockedUntil < now).delete()
        }
    }
}
