import Crypto
import Foundation
import HonorsCore

/// Time-based one-time passwords, RFC 6238 as authenticator apps make them: HMAC-SHA-1, 6 digits, 30-second
/// steps. A code is accepted one step either side of now (clocks drift), and each step's code only once: the
/// caller keeps the last step used and passes it in.
enum TOTP {
    static let digits = 6
    static let period: TimeInterval = 30
    /// Steps accepted either side of now.
    static let window: Int64 = 1

    /// A new secret: 20 random bytes (160 bits, the HMAC-SHA-1 block size the RFC recommends).
    static func newSecret() -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: 160)).withUnsafeBytes { Array($0) }
    }

    static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// RFC 4226's HOTP of one step: dynamic truncation of HMAC-SHA-1 over the big-endian counter.
    static func code(secret: [UInt8], step: Int64, digits: Int = TOTP.digits) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step a typed code belongs to, within the window and after `lastUsed`; nil when it matches none.
    /// Full-width digits and spaces are taken as typed on a phone.
    static func verify(_ typed: String, secret: [UInt8], at date: Date, lastUsed: Int64?) -> Int64? {
        let code = TextInput.halfWidth(typed).filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in (now - window)...(now + window) where candidate > (lastUsed ?? Int64.min) {
            if CSRFMiddleware.constantTimeEqual(Self.code(secret: secret, step: candidate), code) { return candidate }
        }
        return nil
    }

    /// What the enrolment QR code holds (Key Uri Format, as authenticator apps read it).
    static func uri(secret: [UInt8], account: String, issuer: String = "Honors") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"])) ?? account
        let encodedIssuer = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "="])) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret, padded: false))&issuer=\(encodedIssuer)"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}
