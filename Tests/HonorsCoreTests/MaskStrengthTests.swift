import Foundation
import Testing
@testable import HonorsCore

/// A mask must not be undone with what the same page shows beside it (出生年月, 性别, and 籍贯, which may give
/// away the county): at least 10 000 numbers must fit. The counters enumerate every number that fits the
/// mask's visible characters and those fields, with the province list and the check character.
@Suite struct MaskStrengthTests {
    static let today = DayStamp(year: 2026, month: 12, day: 1)
    static let checkTable = Array("10X98765432")

    /// ID numbers that fit `mask`, the birth month and gender shown beside it. `county` given: the worst case, its
    /// six digits known from elsewhere on the page.
    static func idCandidates(mask: String, birth: MonthValue, male: Bool, county: String?) -> Int {
        let shown = Array(mask)
        guard shown.count == 18 else { return 0 }
        func fits(_ position: Int, _ character: Character) -> Bool { shown[position] == "*" || shown[position] == character }
        let digits = Array("0123456789")
        // Ways to pick the six region digits, by their weighted sum mod 11.
        var regions = [Int](repeating: 0, count: 11)
        if let county {
            let chars = Array(county)
            guard (0..<6).allSatisfy({ fits($0, chars[$0]) }) else { return 0 }
            regions[(0..<6).reduce(0) { $0 + chars[$1].wholeNumberValue! * IDNumber.weights[$1] } % 11] = 1
        } else {
            for province in IDNumber.provinces {
                let chars = Array(String(format: "%02d", province))
                if fits(0, chars[0]) && fits(1, chars[1]) {
                    regions[(chars[0].wholeNumberValue! * 7 + chars[1].wholeNumberValue! * 9) % 11] += 1
                }
            }
            for position in 2..<6 {
                var next = [Int](repeating: 0, count: 11)
                for (sum, ways) in regions.enumerated() where ways > 0 {
                    for digit in digits where fits(position, digit) {
                        next[(sum + digit.wholeNumberValue! * IDNumber.weights[position]) % 11] += ways
                    }
                }
                regions = next
            }
        }
        // Birth date in the shown month (not after today), then the sequence of the shown gender's parity.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = calendar.date(from: DateComponents(year: birth.year, month: birth.month, day: 1))!
        let days = calendar.range(of: .day, in: .month, for: first)!.count
        var count = 0
        for day in 1...days {
            guard DayStamp(year: birth.year, month: birth.month, day: day) <= today else { continue }
            let date = Array(String(format: "%04d%02d%02d", birth.year, birth.month, day))
            guard (0..<8).allSatisfy({ fits(6 + $0, date[$0]) }) else { continue }
            let dateSum = (0..<8).reduce(0) { $0 + date[$1].wholeNumberValue! * IDNumber.weights[6 + $1] }
            for sequence in 0..<1000 where (sequence % 2 == 1) == male {
                let seq = Array(String(format: "%03d", sequence))
                guard (0..<3).allSatisfy({ fits(14 + $0, seq[$0]) }) else { continue }
                let sum = dateSum + (0..<3).reduce(0) { $0 + seq[$1].wholeNumberValue! * IDNumber.weights[14 + $1] }
                for (regionSum, ways) in regions.enumerated() where ways > 0 {
                    if fits(17, checkTable[(regionSum + sum) % 11]) { count += ways }
                }
            }
        }
        return count
    }

    /// Mobile or local numbers that fit a mask: hidden digits free, a local number never starting with 0.
    static func phoneCandidates(mask: String, full: PhoneNumber) -> Int {
        let local = mask.split(separator: "-").last.map(String.init) ?? mask
        var count = 1
        for (position, character) in local.enumerated() where character == "*" {
            count *= (full.kind == .landline && position == 0) ? 9 : 10
        }
        return count
    }

    @Test("the check table here is the validator's")
    func sameCheck() {
        let first17 = "15060219900101123"
        let sum = (0..<17).reduce(0) { $0 + Array(first17)[$1].wholeNumberValue! * IDNumber.weights[$1] }
        #expect(Self.checkTable[sum % 11] == IDNumber.checkCharacter(first17))
    }

    @Test("the mask that showed the county and the last four let about three numbers fit: the counter can fail")
    func oldMaskIsWeak() throws {
        let id = try IDNumber("150602199001011238", today: Self.today.start)
        #expect(Self.idCandidates(mask: "150602********1238", birth: id.birthMonth, male: id.gender == .male, county: nil) < 10)
    }

    @Test("an ID number's mask leaves at least 10 000 numbers, even when the county is known",
          arguments: ["150602199001011238", "110105198502150025", "440305200002290045", "650102197612311119"])
    func idMask(_ number: String) throws {
        let id = try IDNumber(number, today: Self.today.start)
        #expect(!id.masked.contains(String(Array(number)[6..<18])), "birth date, sequence and check hidden")
        let worst = Self.idCandidates(mask: id.masked, birth: id.birthMonth, male: id.gender == .male, county: id.areaCode)
        #expect(worst >= 10_000, "\(id.masked): \(worst)")
        let free = Self.idCandidates(mask: id.masked, birth: id.birthMonth, male: id.gender == .male, county: nil)
        #expect(free >= worst * 1_000, "\(id.masked): \(free)")
    }

    @Test("a phone's mask leaves at least 10 000 numbers",
          arguments: ["18647176667", "13900001111", "0477-8581234", "010-62751234", "0471-6981234-801"])
    func phoneMask(_ raw: String) throws {
        let phone = try PhoneNumber(raw)
        let count = Self.phoneCandidates(mask: phone.masked, full: phone)
        #expect(count >= 10_000, "\(phone.masked): \(count)")
        #expect(phone.masked.filter { $0.isNumber }.count < phone.normalized.filter { $0.isNumber }.count - 4)
    }
}
