import Foundation
import Testing
@testable import HonorsCore

@Suite("Account rules")
struct AccountRulesTests {
    @Test("passwords: at least 8, letters and digits, at most 72 bytes")
    func passwords() {
        #expect(PasswordPolicy.problem(with: "Passw0rd") == nil)
        #expect(PasswordPolicy.problem(with: "Pass0rd") != nil)
        #expect(PasswordPolicy.problem(with: "password") != nil)
        #expect(PasswordPolicy.problem(with: "12345678") != nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "a1", count: 36)) == nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "a1", count: 36) + "b")?.contains("72") == true)
        // 24 CJK characters are 72 bytes: with a digit the password is too long.
        #expect(PasswordPolicy.problem(with: String(repeating: "密", count: 23) + "1") == nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "密", count: 24) + "1") != nil)
        #expect(PasswordPolicy.problem(with: "Passw0rd\u{7}") != nil)
    }

    @Test("usernames: normalised, ASCII, 3 to 32 characters")
    func usernames() throws {
        #expect(try UsernamePolicy.normalise(" Ｋｕａｉｄｉ01 ").get() == "kuaidi01")
        for bad in ["", "ab", "ab\u{7}cd", String(repeating: "a", count: 33), "张三", "a b", "x';--", "<b>"] {
            #expect(throws: FieldMessage.self) { try UsernamePolicy.normalise(bad).get() }
        }
    }

    @Test("a lock lasts 15 minutes to the second")
    func lockout() {
        let now = Date(timeIntervalSince1970: 0)
        let until = now.addingTimeInterval(SignInPolicy.lockout)
        #expect(SignInPolicy.lockout == 900 && SignInPolicy.maximumFailures == 5)
        #expect(SignInPolicy.isLocked(until: until, now: now.addingTimeInterval(899)))
        #expect(!SignInPolicy.isLocked(until: until, now: now.addingTimeInterval(900)))
        #expect(!SignInPolicy.isLocked(until: nil, now: now))
    }

    @Test("sessions: 30 minutes idle, 12 hours in all")
    func sessions() {
        let start = Date(timeIntervalSince1970: 0)
        #expect(SignInPolicy.sessionIsAlive(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(1799)))
        #expect(!SignInPolicy.sessionIsAlive(createdAt: start, lastSeenAt: start, now: start.addingTimeInterval(1800)))
        let late = start.addingTimeInterval(43_199)
        #expect(SignInPolicy.sessionIsAlive(createdAt: start, lastSeenAt: late, now: late))
        #expect(!SignInPolicy.sessionIsAlive(createdAt: start, lastSeenAt: late, now: start.addingTimeInterval(43_200)))
    }

    @Test("days are Beijing days: the 30 May deadline ends at 16:00 UTC")
    func days() {
        let day = DayStamp(year: 2024, month: 5, day: 30)
        #expect(day.end == Date(timeIntervalSince1970: 1_717_084_800))
        #expect(DayStamp("2024-02-29") != nil)
        #expect(DayStamp("2023-02-29") == nil)
        #expect(DayStamp("２０２４-０５-３０") == day)
        #expect(day.chinese == "2024年5月30日")
    }
}
