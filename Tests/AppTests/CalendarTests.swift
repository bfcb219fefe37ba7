@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// The administrator's holiday table: seeded with 2024–2026, a new year entered on record, checked as typed,
/// and what every working-day count reads.
@Suite("Holiday arrangements")
struct CalendarTests {
    static let year2027 = [("year", "2027"), ("rest_days", "01-01；02-06…02-13；04-05"), ("make_up_days", "02-14，02-20"), ("version", "0")]

    @Test("the seeded years are the published ones; a new year is entered, written back tidy, and counted from then on")
    func enterAYear() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            #expect(try await WorkingCalendar.load(on: app.db) == WorkingCalendar.standard)
            let page = try await admin.get("/admin/calendar")
            #expect(page.text.contains("01-01; 02-10…02-17; 04-04…04-06") && page.text.contains(#"value="2027""#))
            #expect(throws: WorkingCalendar.UnknownYear(year: 2027)) {
                _ = try WorkingCalendar.standard.period(startingOn: DayStamp("2027-02-05")!, workingDays: 5)
            }

            let saved = try await admin.post("/admin/calendar", Self.year2027)
            #expect(saved.location == "/admin/calendar?saved=2027")
            let row = try #require(try await CalendarYear.query(on: app.db).filter(\.$year == 2027).first())
            #expect(row.restDays == "01-01; 02-06…02-13; 04-05" && row.makeUpDays == "02-14, 02-20")
            let calendar = try await WorkingCalendar.load(on: app.db)
            // Fri 02-05, then 春节 06–13, 14 (Sun, 调休上班), 15, 16, 17.
            let period = try calendar.period(startingOn: DayStamp("2027-02-05")!, workingDays: 5)
            #expect(period.last == DayStamp("2027-02-17"))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "calendar.update").first())
            #expect(event.objectID == "2027" && event.fieldChanges.first?.new == "01-01; 02-06…02-13; 04-05")
        }
    }

    @Test("wrong dates are refused beside their field with the typed text kept, and nothing is stored",
          arguments: [
              ([("rest_days", "02-30")], "rest_days", "不是 2027 年的日期"),
              ([("rest_days", "02-13…02-06")], "rest_days", "不是 2027 年的日期"),
              ([("rest_days", "")], "rest_days", "请填写 2027 年的放假日期"),
              ([("make_up_days", "02-15")], "make_up_days", "不是周六或周日"),
              ([("make_up_days", "02-07")], "make_up_days", "既列为放假又列为调休上班"),
              ([("make_up_days", "02-14…02-20")], "make_up_days", "不是 2027 年的日期"),
              ([("year", "１９９９")], "year", "2000–2100"),
          ])
    func refused(_ overrides: [(String, String)], _ field: String, _ message: String) async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            var form = Dictionary(uniqueKeysWithValues: Self.year2027)
            for (key, value) in overrides { form[key] = value }
            let response = try await admin.post("/admin/calendar", form.map { ($0.key, $0.value) })
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.contains { $0.contains(message) }, "\(response.fieldErrors)")
            #expect(response.text.contains(">\(TextInput.block(form["rest_days"]!))</textarea>"), "the typed text is kept")
            #expect(try await CalendarYear.query(on: app.db).count() == 3)
        }
    }

    @Test("two administrators entering the same year: the second is told, nothing overwritten")
    func conflict() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            #expect(try await admin.post("/admin/calendar", Self.year2027).status == .seeOther)
            var other = Dictionary(uniqueKeysWithValues: Self.year2027)
            other["rest_days"] = "01-01"
            let second = try await admin.post("/admin/calendar", other.map { ($0.key, $0.value) })
            #expect(second.status == .conflict)
            #expect(second.text.contains(">01-01</textarea>") && second.text.contains("已被他人修改或已录入"), "the typed text is kept")
            #expect(try await CalendarYear.query(on: app.db).filter(\.$year == 2027).first()?.restDays == "01-01; 02-06…02-13; 04-05")
            // Editing with the version shown works.
            other["version"] = "1"
            #expect(try await admin.post("/admin/calendar", other.map { ($0.key, $0.value) }).status == .seeOther)
            #expect(try await CalendarYear.query(on: app.db).filter(\.$year == 2027).first()?.restDays == "01-01")
        }
    }
}
