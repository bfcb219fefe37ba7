import Foundation
import Testing
@testable import HonorsCore

/// Check characters below were cross-checked with python-stdnum's `stdnum.cn.ric.calc_check_digit`.
@Suite struct IDNumberTests {
    let today = DayStamp(year: 2024, month: 5, day: 20).start

    @Test func standardExamples() throws {
        let a = try IDNumber("11010519491231002X", today: today)
        #expect(a.birthDate == DayStamp(year: 1949, month: 12, day: 31))
        #expect(a.birthMonth.description == "1949-12")
        #expect(a.gender == .female)
        let b = try IDNumber("440524188001010014", today: today)
        #expect(b.birthMonth.description == "1880-01")
        #expect(b.gender == .male)
        #expect(b.areaCode == "440524")
    }

    @Test func fullWidthSpacesAndLowerX() throws {
        let id = try IDNumber(" １１０１０５ １９４９１２３１ ００２ｘ ", today: today)
        #expect(id.value == "11010519491231002X")
        #expect(try IDNumber("11010519491231002x", today: today).value == "11010519491231002X")
        #expect(IDNumber.normalize("1101\u{200B}05 19491231002x") == "11010519491231002X")
    }

    @Test func wrongCheckDigitRefused() {
        #expect(throws: IDNumberError.badCheckDigit(expected: "X", found: "1")) {
            try IDNumber("110105194912310021", today: today)
        }
        #expect(throws: IDNumberError.badCheckDigit(expected: "4", found: "5")) {
            try IDNumber("440524188001010015", today: today)
        }
    }

    @Test func exactlyOneCheckCharacterFits() {
        let candidates = Array("0123456789X").filter { (try? IDNumber("15060219900101123" + String($0), today: today)) != nil }
        #expect(candidates == ["8"])
        #expect(IDNumber.checkCharacter("11010519491231002") == "X")
        #expect(IDNumber.checkCharacter("1101051949123100") == nil)
    }

    /// 150602 (康巴什区) was created in 2001, yet numbers re-issued there carry it for people born earlier.
    @Test(arguments: ["150602196503150023", "150602199001011238", "15060220050101123X"])
    func kangbashiNumbersAccepted(number: String) throws {
        #expect(try IDNumber(number, today: today).areaCode == "150602")
    }

    @Test func leapDays() throws {
        #expect(try IDNumber("110105200002291235", today: today).birthDate == DayStamp(year: 2000, month: 2, day: 29))
        // 2023-02-29 does not exist; the check character is right for the digits, so only the date fails.
        let bad = "11010520230229123"
        let number = bad + String(IDNumber.checkCharacter(bad)!)
        #expect(throws: IDNumberError.invalidBirthDate("20230229")) { try IDNumber(number, today: today) }
        let month13 = "11010519901301123"
        #expect(throws: IDNumberError.invalidBirthDate("19901301")) {
            try IDNumber(month13 + String(IDNumber.checkCharacter(month13)!), today: today)
        }
    }

    @Test func futureBirthDateRefused() throws {
        let first17 = "11010520240521123"
        let number = first17 + String(IDNumber.checkCharacter(first17)!)
        #expect(throws: IDNumberError.futureBirthDate("2024-05-21")) { try IDNumber(number, today: today) }
        // The same number is fine once that day has come.
        let later = DayStamp(year: 2024, month: 5, day: 21).start
        #expect(try IDNumber(number, today: later).birthDate == DayStamp(year: 2024, month: 5, day: 21))
    }

    @Test func lengthCharactersAndProvince() {
        #expect(throws: IDNumberError.empty) { try IDNumber("  ", today: today) }
        #expect(throws: IDNumberError.badLength(15)) { try IDNumber("110105491231002", today: today) }
        #expect(IDNumberError.badLength(15).message.contains("15位"))
        #expect(throws: IDNumberError.badLength(19)) { try IDNumber("11010519491231002X1", today: today) }
        #expect(throws: IDNumberError.badCharacters) { try IDNumber("1101051949123100X2", today: today) }
        let first17 = "99010519491231002"
        #expect(throws: IDNumberError.unknownProvince("99")) {
            try IDNumber(first17 + String(IDNumber.checkCharacter(first17)!), today: today)
        }
    }

    @Test func maskingAndMessages() throws {
        #expect(try IDNumber("150602199001011238", today: today).masked == "15****************")
        #expect(IDNumber.mask("１５０６０２１９９００１０１１２３８") == "15****************")
        #expect(IDNumberError.badCheckDigit(expected: "X", found: "1").message == "身份证号校验位不符，请逐位核对")
        #expect(IDNumberError.futureBirthDate("2030-01-01").message.contains("晚于今天"))
    }
}
