import Foundation
import Testing
@testable import HonorsCore

@Suite struct MonthValueTests {
    @Test(arguments: ["2010-07", "2010.07", "2010.7", "2010/07", "2010年7月", "2010年07月", "2010-07-01",
                      "2010年7月1日", "２０１０－０７", "201007", "20100731", " 2010-07 "])
    func acceptedForms(text: String) {
        #expect(MonthValue(text)?.description == "2010-07")
    }

    @Test(arguments: ["", "2010", "2010-13", "2010-00", "10-07", "2010-07-32", "2023-02-29", "2010..07",
                      "2010-07-01-01", "abcd-07", "2010年", "2010-7a"])
    func refusedForms(text: String) {
        #expect(MonthValue(text) == nil)
    }

    @Test func leapDayWithDay() {
        #expect(MonthValue("2024-02-29")?.description == "2024-02")
        #expect(MonthValue("2000-02-29") != nil)
        #expect(MonthValue("1900-02-29") == nil)
    }

    @Test func orderingAndArithmetic() throws {
        let a = try #require(MonthValue("2023-11"))
        let b = try #require(MonthValue("2024-02"))
        #expect(a < b)
        #expect(a.months(until: b) == 3)
        #expect(b.months(until: a) == -3)
        #expect(a.adding(months: 3) == b)
        #expect(b.adding(months: -3) == a)
        #expect(a.adding(years: 18).description == "2041-11")
        #expect(MonthValue(year: 2024, month: 1)!.adding(months: -1).description == "2023-12")
        #expect(b.dotted == "2024.02" && b.chinese == "2024年2月")
    }

    @Test func fromDateUsesChinaTime() {
        // 2024-05-31 16:30 UTC is already 1 June in Beijing.
        let instant = Date(timeIntervalSince1970: 1_717_173_000)
        #expect(MonthValue(instant).description == "2024-06")
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode([MonthValue(year: 1985, month: 3)!])
        #expect(String(decoding: data, as: UTF8.self) == #"["1985-03"]"#)
        #expect(try JSONDecoder().decode([MonthValue].self, from: data).first?.month == 3)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MonthValue].self, from: Data(#"["1985-13"]"#.utf8)) }
    }
}

/// Stored dates and months keep their fixed widths: "2010-07", "2024-05-03", never "2010-7".
@Suite struct ZeroPaddedTests {
    @Test func widths() {
        #expect(7.zeroPadded(2) == "07" && 0.zeroPadded(2) == "00" && 5.zeroPadded(3) == "005" && 123_456.zeroPadded(6) == "123456")
        #expect(2024.zeroPadded(2) == "2024" && 42.zeroPadded(0) == "42" && (-5).zeroPadded(3) == "-005")
        #expect(MonthValue("2010.7")?.description == "2010-07" && MonthValue("2010.7")?.dotted == "2010.07")
        #expect(DayStamp(year: 2024, month: 5, day: 3).description == "2024-05-03")
        #expect(DayStamp(year: 987, month: 12, day: 31).description == "0987-12-31")
    }
}
