import Foundation

/// Who must sign in with a one-time code besides the password, and what a recovery code looks like.
public enum SecondFactorPolicy {
    /// Recovery codes given at enrolment, each good for one sign-in without the phone.
    public static let recoveryCodeCount = 10
    /// How long the code step of a sign-in waits after the right password.
    public static let challengeLifetime: TimeInterval = 5 * 60

    /// Administrators always; everyone while a campaign asks for it (`require_second_factor`).
    public static func isRequired(for role: Role, everyoneRequired: Bool) -> Bool {
        role == .admin || everyoneRequired
    }

    /// Letters and digits that cannot be read as one another (no 0/o, 1/l/i).
    static let recoveryAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// Characters of a recovery code: 16 of a 31-letter alphabet, about 79 bits, so the stored SHA-256 cannot
    /// be searched back even from a copy of the database.
    public static let recoveryCodeLength = 16

    /// `xxxx-xxxx-xxxx-xxxx`.
    public static func newRecoveryCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<recoveryCodeLength).map { _ in recoveryAlphabet.randomElement(using: &generator)! }
        return stride(from: 0, to: recoveryCodeLength, by: 4).map { String(letters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// A recovery code as typed (any case, full-width, with or without the hyphen and spaces) in the form it is
    /// stored and compared in; nil when it cannot be one.
    public static func normalizedRecoveryCode(_ typed: String) -> String? {
        let text = TextInput.halfWidth(typed).lowercased().filter { !$0.isWhitespace && $0 != "-" }
        guard text.count == recoveryCodeLength, text.allSatisfy({ recoveryAlphabet.contains($0) }) else { return nil }
        return text
    }
}
