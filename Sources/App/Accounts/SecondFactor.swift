import Crypto
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// The second factor of a sign-in: an authenticator app's code (`TOTP`) or one of ten recovery codes.
///
/// Enrolment: `enrolmentSecret` is this session's secret, shown as a QR code; `confirm` takes one code from the
/// app, stores the secret sealed, enables it and hands out the recovery codes, once. At
/// sign-in, `verify` spends a code: the step of an app's code is claimed by one conditional UPDATE, and a
/// recovery code is marked used the same way, so a code replayed, even at the same moment, is refused.
enum SecondFactor {
    enum Method: String, Sendable {
        case authenticator = "验证器动态码"
        case recovery = "恢复码"
    }

    struct Status: Sendable {
        var enabledAt: Date?
        var recoveryLeft = 0
        var enabled: Bool { enabledAt != nil }
    }

    static func status(of userID: Int, on db: any Database) async throws -> Status {
        guard let factor = try await UserFactor.find(userID, on: db), let enabledAt = factor.enabledAt else { return Status() }
        let left = try await RecoveryCode.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).count()
        return Status(enabledAt: enabledAt, recoveryLeft: left)
    }

    static func isEnabled(_ userID: Int, on db: any Database) async throws -> Bool {
        try await UserFactor.query(on: db).filter(\.$id == userID).filter(\.$enabledAt != nil).count() > 0
    }

    /// Whether this role must use a second factor now: administrators always, everyone while a campaign asks.
    static func isRequired(for role: Role, on db: any Database) async throws -> Bool {
        if SecondFactorPolicy.isRequired(for: role, everyoneRequired: false) { return true }
        let asking = try await Campaign.query(on: db).filter(\.$requireSecondFactor == true).count()
        return SecondFactorPolicy.isRequired(for: role, everyoneRequired: asking > 0)
    }

    /// The secret this session is shown to enrol: made from the session and the user under the key ring's
    /// keyed hash, so a reload shows the same QR code, another session (someone else who knows the password)
    /// is shown another one, and nothing is stored until a code confirms it.
    static func enrolmentSecret(for userID: Int, session: String, box: SecretBox) -> [UInt8] {
        Array(box.keyedDigest("enrol:\(userID):\(session)").prefix(20))
    }

    /// Enables the factor this session was shown when `code` is the app's code now; returns the recovery
    /// codes to show once, nil for a wrong code or when a factor is enabled already.
    static func confirm(_ userID: Int, session: String, code: String, box: SecretBox, now: Date, on db: any Database) async throws -> [String]? {
        let secret = enrolmentSecret(for: userID, session: session, box: box)
        guard try await !isEnabled(userID, on: db), let step = TOTP.verify(code, secret: secret, at: now, lastUsed: nil) else { return nil }
        try await UserFactor.query(on: db).filter(\.$id == userID).delete()
        let factor = UserFactor()
        factor.id = userID
        factor.secretSealed = try box.seal(Base32.encode(secret, padded: false))
        factor.secretKeyID = box.keyID
        factor.enabledAt = now
        factor.lastStep = step
        factor.createdAt = now
        try await factor.create(on: db)
        try await RecoveryCode.query(on: db).filter(\.$userID == userID).delete()
        var codes: [String] = []
        while codes.count < SecondFactorPolicy.recoveryCodeCount {
            let code = SecondFactorPolicy.newRecoveryCode()
            if !codes.contains(code) { codes.append(code) }
        }
        for code in codes {
            try await RecoveryCode(userID: userID, codeHash: hash(SecondFactorPolicy.normalizedRecoveryCode(code)!)).create(on: db)
        }
        return codes
    }

    /// Spends `typed` (an app's code or a recovery code) for `userID`; nil when it is wrong or used already.
    static func verify(_ userID: Int, typed: String, box: SecretBox, now: Date, on db: any Database) async throws -> Method? {
        let sql = db as! any SQLDatabase
        if let recovery = SecondFactorPolicy.normalizedRecoveryCode(typed) {
            guard try await isEnabled(userID, on: db) else { return nil }
            let spent = try await sql.raw("""
                UPDATE recovery_codes SET used_at = \(bind: now)
                WHERE user_id = \(bind: userID) AND code_hash = \(bind: hash(recovery)) AND used_at IS NULL RETURNING id
                """).all()
            return spent.isEmpty ? nil : .recovery
        }
        guard let factor = try await UserFactor.find(userID, on: db), factor.enabledAt != nil,
              let secret = try? Base32.decode(box.open(factor.secretSealed)),
              let step = TOTP.verify(typed, secret: secret, at: now, lastUsed: factor.lastStep)
        else { return nil }
        let claimed = try await sql.raw("""
            UPDATE user_factors SET last_step = \(bind: step)
            WHERE user_id = \(bind: userID) AND (last_step IS NULL OR last_step < \(bind: step)) RETURNING user_id
            """).all()
        return claimed.isEmpty ? nil : .authenticator
    }

    /// Removes the factor and its recovery codes (the user's own choice, or the administrator's reset);
    /// whether there was one.
    static func remove(_ userID: Int, on db: any Database) async throws -> Bool {
        let had = try await UserFactor.find(userID, on: db)?.enabledAt != nil
        try await RecoveryCode.query(on: db).filter(\.$userID == userID).delete()
        try await UserFactor.query(on: db).filter(\.$id == userID).delete()
        return had
    }

    static func hash(_ normalized: String) -> String { normalized.sha256Hex }

    /// The secret as people type it into an app by hand: base32 in groups of four.
    static func displayed(_ secret: [UInt8]) -> String {
        let text = Base32.encode(secret, padded: false)
        return stride(from: 0, to: text.count, by: 4).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: " ")
    }
}

/// What the sign-in form carries from the password step to the code step: the user and a deadline, sealed
/// (so it cannot be made or changed outside Honors) and tied to the password hash (so a password change ends
/// it). The password's try stays counted until the code is right.
enum SignInChallenge {
    static func make(userID: Int, passwordHash: String, now: Date, box: SecretBox) throws -> String {
        let until = Int(now.addingTimeInterval(SecondFactorPolicy.challengeLifetime).timeIntervalSince1970)
        return try box.seal("challenge:\(userID):\(until):\(binding(passwordHash))")
    }

    /// The user id, when the challenge is Honors' own, unexpired and the password unchanged since.
    static func open(_ sealed: String, now: Date, box: SecretBox, passwordHash: (Int) async throws -> String?) async throws -> Int? {
        guard sealed.count < 400, let text = try? box.open(sealed) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 4, parts[0] == "challenge", let userID = Int(parts[1]), let until = Int(parts[2]),
              Double(until) > now.timeIntervalSince1970,
              let hash = try await passwordHash(userID), CSRFMiddleware.constantTimeEqual(binding(hash), String(parts[3]))
        else { return nil }
        return userID
    }

    private static func binding(_ passwordHash: String) -> String {
        SHA256.hash(data: Data(passwordHash.utf8)).prefix(8).hex
    }
}
