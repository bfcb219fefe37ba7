@testable import App
import Foundation
import HonorsCore
import Testing

@Suite("Times as lists show them")
struct DateFormattingTests {
    @Test("the arithmetic gives the time-zone database's Beijing minute for any instant since 1992, leap days and year ends included")
    func matchesTheFormatter() {
        var generator = SystemRandomNumberGenerator()
        let since = DayStamp.fixedOffsetSince.timeIntervalSince1970
        var instants = (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: since..<4_102_444_800, using: &generator)) }
        // Around midnight in Beijing (16:00 UTC) on days that change month, year, or fall on 29 February.
        for day in ["2024-02-28", "2024-02-29", "2024-12-31", "2025-12-31", "2000-02-29", "2100-02-28"] {
            let start = DayStamp(day)!.start.timeIntervalSince1970
            instants += [-60, -1, 0, 59, 60, 86_399, 86_400].map { Date(timeIntervalSince1970: start + Double($0)) }
        }
        instants.append(DayStamp.fixedOffsetSince)
        for instant in instants {
            #expect(DateFormatting.minute(instant) == DateFormatting.zoned(instant), "\(instant.timeIntervalSince1970)")
        }
        #expect(DateFormatting.minute(DayStamp("2024-05-30")!.start) == "2024-05-30 00:00")
        // A fraction of a millisecond before the minute is still the minute before (ICU alone rounds it up).
        #expect(DateFormatting.minute(Date(timeIntervalSince1970: 3_108_879_359.999_964_7)) == "2068-07-07 17:35")
        #expect(DateFormatting.zoned(Date(timeIntervalSince1970: 3_108_879_359.999_964_7)) == "2068-07-07 17:35")
        #expect(DateFormatting.minute(Date(timeIntervalSince1970: 584_236_859.9999)) == "1988-07-07 09:00")
        #expect(DateFormatting.minute(nil) == "")
    }

    @Test("before 1992 (China kept summer time until 1991) the time-zone database answers")
    func summerTime() {
        let july1988 = Date(timeIntervalSince1970: 584_236_800)  // 1988-07-07 00:00 UTC, UTC+9 then
        #expect(DateFormatting.minute(july1988) == "1988-07-07 09:00")
    }
}
