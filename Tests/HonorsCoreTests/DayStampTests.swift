import Foundation
import HonorsCore
import Testing

/// `DayStamp` counts days itself from 1992 on; the time-zone database (Foundation's Gregorian calendar in
/// Asia/Shanghai) is the reference it must agree with, day by day.
@Suite("Calendar days in Beijing")
struct DayStampTests {
    static let reference: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }()

    func referenceStart(_ y: Int, _ m: Int, _ d: Int) -> Date? {
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = Self.reference.date(from: components),
              Self.reference.dateComponents([.year, .month, .day], from: date) == components else { return nil }
        return date
    }

    @Test("every day from 1985 to 2100: start, end, the day of an instant, weekday and the next day as the time-zone database says")
    func everyDay() {
        var date = referenceStart(1985, 1, 1)!
        var mismatches: [String] = []
        while mismatches.count < 5 {
            let c = Self.reference.dateComponents([.year, .month, .day, .weekday], from: date)
            guard c.year! <= 2100 else { break }
            let text = "\(c.year!)-\(c.month!.zeroPadded(2))-\(c.day!.zeroPadded(2))"
            let next = Self.reference.date(byAdding: .day, value: 1, to: date)!
            guard let day = DayStamp(text) else { mismatches.append("\(text) refused"); date = next; continue }
            if day.start != date { mismatches.append("\(text) starts \(day.start), not \(date)") }
            if day.end != next { mismatches.append("\(text) ends \(day.end), not \(next)") }
            for instant in [date, date.addingTimeInterval(0.0001), next.addingTimeInterval(-0.0001)] where DayStamp(instant) != day {
                mismatches.append("\(instant) falls on \(DayStamp(instant)), not \(text)")
            }
            if day.isWeekend != (c.weekday == 1 || c.weekday == 7) { mismatches.append("\(text) weekend") }
            let following = Self.reference.dateComponents([.year, .month, .day], from: next)
            if day.adding(days: 1) != DayStamp(year: following.year!, month: following.month!, day: following.day!) {
                mismatches.append("\(text) + 1 = \(day.adding(days: 1))")
            }
            date = next
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("a date that does not exist is refused, as the time-zone database refuses it")
    func existence() {
        for y in [1990, 1991, 1992, 1996, 2000, 2023, 2024, 2100, 2400] {
            for m in 0...13 {
                for d in [0, 1, 28, 29, 30, 31, 32] {
                    let text = "\(y)-\(m.zeroPadded(2))-\(d.zeroPadded(2))"
                    #expect((DayStamp(text) != nil) == (referenceStart(y, m, d) != nil), "\(text)")
                }
            }
        }
        #expect(DayStamp("２０２４－０２－２９") == DayStamp(year: 2024, month: 2, day: 29), "full-width digits and dash")
        #expect(DayStamp("2024-2-9") == DayStamp(year: 2024, month: 2, day: 9))
        for text in ["24-02-09", "2024-02", "2024-02-09-01", "2024/02/09", "", "二〇二四-02-09"] { #expect(DayStamp(text) == nil, "\(text)") }
    }

    @Test("adding days across years, backwards and across the 1992 line agrees with the calendar")
    func addingDays() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let start = referenceStart(Int.random(in: 1980...2090, using: &generator), Int.random(in: 1...12, using: &generator), 1)!
            let shift = Int.random(in: -4000...4000, using: &generator)
            let c = Self.reference.dateComponents([.year, .month, .day], from: start)
            let expected = Self.reference.dateComponents([.year, .month, .day], from: Self.reference.date(byAdding: .day, value: shift, to: start)!)
            let day = DayStamp(year: c.year!, month: c.month!, day: c.day!).adding(days: shift)
            #expect(day == DayStamp(year: expected.year!, month: expected.month!, day: expected.day!), "\(c) + \(shift)")
        }
        #expect(DayStamp(daysSince1970: 0) == DayStamp(year: 1970, month: 1, day: 1))
        #expect(DayStamp(year: 2024, month: 5, day: 30).daysSince1970 == 19873)
        #expect(DayStamp(daysSince1970: -1) == DayStamp(year: 1969, month: 12, day: 31))
    }
}
