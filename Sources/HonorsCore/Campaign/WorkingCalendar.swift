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
    /// The years whose arrangement is known. A 公示 reaching into another year is refused, never guessed.
    public var years: Set<Int>

    public init(restDays: Set<DayStamp> = [], makeUpWorkdays: Set<DayStamp> = [], years: Set<Int>? = nil) {
        self.restDays = restDays
        self.makeUpWorkdays = makeUpWorkdays
        self.years = years ?? Set(restDays.map(\.year))
    }

    /// A year the calendar has no arrangement for.
    public struct UnknownYear: Error, Sendable, Equatable {
        public let year: Int
        public init(year: Int) { self.year = year }
        public var message: String {
            "尚未录入 \(year) 年的节假日安排（放假和调休上班），无法计算工作日。请联盟管理员先录入国务院办公厅公布的 \(year) 年安排。"
        }
    }

    /// A period of `count` working days that begins on `start`, or on the first working day after it when
    /// `start` is a rest day (the start day counts when it is a working day): its first and last day.
    /// Throws `UnknownYear` when a day it needs lies in a year without an arrangement.
    public func period(startingOn start: DayStamp, workingDays count: Int) throws -> (first: DayStamp, last: DayStamp) {
        var day = start
        func known(_ day: DayStamp) throws {
            guard years.contains(day.year) else { throw UnknownYear(year: day.year) }
        }
        try known(day)
        while !isWorkingDay(day) {
            day = day.adding(days: 1)
            try known(day)
        }
        let first = day
        var left = max(1, count) - 1
        while left > 0 {
            day = day.adding(days: 1)
            try known(day)
            if isWorkingDay(day) { left -= 1 }
        }
        return (first, day)
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
        return WorkingCalendar(restDays: Set(rest), makeUpWorkdays: Set(work), years: [2024, 2025, 2026])
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
