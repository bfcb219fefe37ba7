import Foundation

/// Working days as the 国务院办公厅's yearly holiday arrangement sets them: Monday to Friday, except the
/// listed rest days (放假), plus the listed make-up workdays (调休上班) on weekends. Returns' 补正期限 and
/// 公示 periods are counted in these.
///
/// `standard` carries the arrangements of 2024–2026 (see reference/codes.md); a year without an
/// arrangement counts Monday to Friday. Later years are added by the administrator (kept by App).
public struct WorkingCalendar: Sendable, Equatable {
    public var restDays: Set<DayStamp>
    public var makeUpWorkdays: Set<DayStamp>

    public init(restDays: Set<DayStamp> = [], makeUpWorkdays: Set<DayStamp> = []) {
        self.restDays = restDays
        self.makeUpWorkdays = makeUpWorkdays
    }

    public func isWorkingDay(_ day: DayStamp) -> Bool {
        if makeUpWorkdays.contains(day) { return true }
        if restDays.contains(day) { return false }
        return !day.isWeekend
    }

    /// The `count`-th working day after `day` (`day` itself not counted): "3 working days from today".
    public func adding(workingDays count: Int, to day: DayStamp) -> DayStamp {
        var current = day
        var left = max(0, count)
        while left > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { left -= 1 }
        }
        return current
    }

    public static let standard: WorkingCalendar = {
        func days(_ year: Int, _ list: String) -> [DayStamp] {
            list.split(separator: ";").flatMap { part -> [DayStamp] in
                let range = part.split(separator: "…").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let first = DayStamp("\(year)-\(range[0])") else { return [] }
                guard range.count == 2, let last = DayStamp("\(year)-\(range[1])") else { return [first] }
                var out: [DayStamp] = []
                var day = first
                while day <= last { out.append(day); day = day.adding(days: 1) }
                return out
            }
        }
        // reference/codes.md, "Working days".
        let rest = days(2024, "01-01; 02-10…02-17; 04-04…04-06; 05-01…05-05; 06-10; 09-15…09-17; 10-01…10-07")
            + days(2025, "01-01; 01-28…02-04; 04-04…04-06; 05-01…05-05; 05-31…06-02; 10-01…10-08")
            + days(2026, "01-01…01-03; 02-15…02-23; 04-04…04-06; 05-01…05-05; 06-19…06-21; 09-25…09-27; 10-01…10-07")
        let work = days(2024, "02-04; 02-18; 04-07; 04-28; 05-11; 09-14; 09-29; 10-12")
            + days(2025, "01-26; 02-08; 04-27; 09-28; 10-11")
            + days(2026, "01-04; 02-14; 02-28; 05-09; 09-20; 10-10")
        return WorkingCalendar(restDays: Set(rest), makeUpWorkdays: Set(work))
    }()
}

extension DayStamp {
    public func adding(days: Int) -> DayStamp {
        DayStamp(Self.calendar.date(byAdding: .day, value: days, to: start)!)
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool {
        let weekday = Self.calendar.component(.weekday, from: start)
        return weekday == 1 || weekday == 7
    }
}
