import HonorsCore
import Testing

@Suite("Working days")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.standard

    func day(_ text: String) -> DayStamp { DayStamp(text)! }

    @Test("weekends rest, holidays rest, make-up Saturdays and Sundays work (codes.md)")
    func days() {
        #expect(calendar.isWorkingDay(day("2024-05-20")))            // Monday
        #expect(!calendar.isWorkingDay(day("2024-05-25")))           // Saturday
        #expect(!calendar.isWorkingDay(day("2024-10-03")))           // 国庆
        #expect(calendar.isWorkingDay(day("2024-10-12")))            // Saturday, 调休上班
        #expect(!calendar.isWorkingDay(day("2025-01-28")))           // 春节
        #expect(calendar.isWorkingDay(day("2026-02-28")))            // Saturday, 调休上班
        #expect(!calendar.isWorkingDay(day("2026-06-19")))           // 端午, a Friday
        #expect(calendar.isWorkingDay(day("2027-03-01")), "a year without an arrangement counts Monday to Friday")
    }

    @Test("three working days from a day skip weekends and holidays, and count make-up days")
    func adding() {
        #expect(calendar.adding(workingDays: 3, to: day("2024-05-20")) == day("2024-05-23"))
        #expect(calendar.adding(workingDays: 3, to: day("2024-05-23")) == day("2024-05-28"))   // over a weekend
        // 2024-09-13 Fri: the 14th is a make-up Saturday, 15–17 中秋, then 18 and 19.
        #expect(calendar.adding(workingDays: 3, to: day("2024-09-13")) == day("2024-09-19"))
        // 2024-09-30 Mon: 国庆 1–7, 10-08 Tue, 09, 10.
        #expect(calendar.adding(workingDays: 3, to: day("2024-09-30")) == day("2024-10-10"))
        #expect(calendar.adding(workingDays: 0, to: day("2024-05-20")) == day("2024-05-20"))
    }

    @Test("a 公示 of 5 working days: its start counts when it works, a holiday start begins on the next working day",
          arguments: [
              ("2024-09-12", "2024-09-12", "2024-09-19"),  // Thu: 12, 13, 14 (调休上班), 中秋 15–17, 18, 19
              ("2024-04-28", "2024-04-28", "2024-05-07"),  // a Sunday that works: 28, 29, 30, 劳动节 1–5, 6, 7
              ("2024-10-01", "2024-10-08", "2024-10-12"),  // 国庆: 8, 9, 10, 11, 12 (调休上班)
              ("2025-01-28", "2025-02-05", "2025-02-10"),  // 春节: 5, 6, 7, 8 (调休上班), 10
              ("2026-02-14", "2026-02-14", "2026-02-27"),  // a Saturday that works, then 春节 15–23: 14, 24, 25, 26, 27
              ("2024-05-25", "2024-05-27", "2024-05-31"),  // a plain Saturday
          ])
    func publicity(_ start: String, _ first: String, _ last: String) throws {
        let period = try calendar.period(startingOn: day(start), workingDays: 5)
        #expect(period.first == day(first) && period.last == day(last))
    }

    @Test("a period reaching a year without an arrangement is refused, naming the year, never guessed")
    func unknownYear() throws {
        #expect(throws: WorkingCalendar.UnknownYear(year: 2027)) {
            _ = try calendar.period(startingOn: day("2026-12-28"), workingDays: 5)
        }
        #expect(throws: WorkingCalendar.UnknownYear(year: 2023)) { _ = try calendar.period(startingOn: day("2023-12-29"), workingDays: 1) }
        #expect(try calendar.period(startingOn: day("2026-12-24"), workingDays: 5).last == day("2026-12-30"))
        var extended = calendar
        extended.years.insert(2027)
        #expect(try extended.period(startingOn: day("2026-12-28"), workingDays: 5).last == day("2027-01-01"),
                "once 2027 is entered (here without holidays) the period is counted")
    }
}
