import Testing
@testable import HonorsCore

@Suite struct PhoneTests {
    @Test(arguments: ["18647176667", "186 4717 6667", "186-4717-6667", "+86 186 4717 6667", "008618647176667",
                      "8618647176667", "１８６４７１７６６６７"])
    func mobileForms(raw: String) throws {
        let phone = try PhoneNumber(raw)
        #expect(phone.kind == .mobile)
        #expect(phone.normalized == "18647176667")
        #expect(phone.masked == "186*****667")
        #expect(phone.warning == nil)
    }

    @Test func mobileErrors() {
        #expect(throws: PhoneError.mobilePrefix("12")) { try PhoneNumber("12647176667") }
        #expect(throws: PhoneError.mobileLength(10)) { try PhoneNumber("1864717666") }
        #expect(throws: PhoneError.empty) { try PhoneNumber(" ") }
        #expect(throws: PhoneError.invalid) { try PhoneNumber("186abc76667") }
    }

    @Test func unusualRangeOnlyWarns() throws {
        let phone = try PhoneNumber("15412345678")
        #expect(phone.kind == .mobile)
        #expect(phone.warning?.contains("154") == true)
    }

    @Test(arguments: [
        ("0477-8581234", "0477-8581234", "0477-*****34"),
        ("04778581234", "0477-8581234", "0477-*****34"),
        ("(0471)6981234", "0471-6981234", "0471-*****34"),
        ("０４７１－６９８１２３４", "0471-6981234", "0471-*****34"),
        ("010-62751234", "010-62751234", "010-******34"),
        ("01062751234", "010-62751234", "010-******34"),
        ("0477-8581234-801", "0477-8581234-801", "0477-*****34"),
        ("0477-8581234转801", "0477-8581234-801", "0477-*****34"),
    ])
    func landlines(raw: String, normalized: String, masked: String) throws {
        let phone = try PhoneNumber(raw)
        #expect(phone.kind == .landline)
        #expect(phone.normalized == normalized)
        #expect(phone.masked == masked)
    }

    @Test func landlineErrors() {
        #expect(throws: PhoneError.missingAreaCode) { try PhoneNumber("8581234") }
        #expect(throws: PhoneError.landlineLength(5)) { try PhoneNumber("0477-85812") }
        #expect(throws: PhoneError.landlineAreaCode("011")) { try PhoneNumber("011-85812345") }
        // A mobile dialled with a leading 0 is not a landline in area 0186.
        #expect(throws: PhoneError.landlineAreaCode("018")) { try PhoneNumber("018647176667") }
        #expect(PhoneError.missingAreaCode.message.contains("区号"))
    }
}
