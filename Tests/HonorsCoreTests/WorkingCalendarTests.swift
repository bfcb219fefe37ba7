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
}
