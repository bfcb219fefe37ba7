@testable import App
import Foundation
import Testing

/// RFC 6238 appendix B (SHA-1, secret "12345678901234567890"), and the rules of use: ±1 step, each step once.
@Suite("One-time passwords (TOTP)")
struct TOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    @Test("the RFC 6238 SHA-1 test vectors, 8 digits and the 6 authenticator apps show",
          arguments: [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                      (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")])
    func vectors(_ time: Int, _ expected: String) {
        let step = TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))
        #expect(TOTP.code(secret: Self.secret, step: step, digits: 8) == expected)
        #expect(TOTP.code(secret: Self.secret, step: step) == String(expected.suffix(6)))
    }

    @Test("a code is good one step either side of now, and each step only once")
    func window() {
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        let current = TOTP.code(secret: Self.secret, step: step)
        #expect(TOTP.verify(current, secret: Self.secret, at: now, lastUsed: nil) == step)
        #expect(TOTP.verify(TOTP.code(secret: Self.secret, step: step - 1), secret: Self.secret, at: now, lastUsed: nil) == step - 1)
        #expect(TOTP.verify(TOTP.code(secret: Self.secret, step: step + 1), secret: Self.secret, at: now, lastUsed: nil) == step + 1)
        #expect(TOTP.verify(TOTP.code(secret: Self.secret, step: step - 2), secret: Self.secret, at: now, lastUsed: nil) == nil)
        #expect(TOTP.verify(current, secret: Self.secret, at: now, lastUsed: step) == nil, "used once")
        #expect(TOTP.verify(TOTP.code(secret: Self.secret, step: step - 1), secret: Self.secret, at: now, lastUsed: step) == nil,
                "an older step after a newer one was used")
        #expect(TOTP.verify("０５０４７１", secret: Self.secret, at: now, lastUsed: nil) == step, "full-width digits")
        #expect(TOTP.verify("050 471", secret: Self.secret, at: now, lastUsed: nil) == step)
        for bad in ["", "05047", "0504711", "05O471", "٠٥٠٤٧١", "050471\u{0}"] {
            #expect(TOTP.verify(bad, secret: Self.secret, at: now, lastUsed: nil) == nil, "\(bad.debugDescription)")
        }
    }

    @Test("the enrolment URI carries the secret in base32 and the parameters apps need")
    func uri() {
        let uri = TOTP.uri(secret: Self.secret, account: "boss")
        #expect(uri == "otpauth://totp/Honors%3Aboss?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Honors&algorithm=SHA1&digits=6&period=30")
        #expect(TOTP.newSecret().count == 20 && TOTP.newSecret() != TOTP.newSecret())
    }
}
