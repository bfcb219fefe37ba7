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

    /// One year's arrangement as the 国务院办公厅 publishes it and codes.md writes it: rest days as days and
    /// ranges (`01-01; 02-10…02-17`), make-up workdays as days (`02-04, 02-18`).
    public struct Arrangement: Sendable, Equatable {
        public let year: Int
        public let restDays: [DayStamp]
        public let makeUpWorkdays: [DayStamp]

        /// Checks the typed lists; field key (`rest_days`, `make_up_days`) → Chinese message when wrong.
        public static func parse(year: Int, rest: String, makeUp: String) -> Result<Arrangement, ArrangementError> {
            var errors: [String: String] = [:]
            func days(_ text: String, key: String, ranges: Bool) -> [DayStamp] {
                var out: [DayStamp] = []
                let separators: Set<Character> = [";", "；", ",", "，", "、", "\n"]
                for part in TextInput.halfWidth(text).split(whereSeparator: separators.contains) {
                    let piece = part.trimmingCharacters(in: .whitespaces)
                    guard !piece.isEmpty else { continue }
                    let ends = piece.split(whereSeparator: { "…~～至".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
                    let parsed = ends.map { DayStamp("\(year)-\($0)") }
                    guard (1...(ranges ? 2 : 1)).contains(ends.count), let first = parsed.first ?? nil, let last = parsed.last ?? nil,
                          first <= last else {
                        errors[key] = "“\(piece.prefix(20))”不是 \(year) 年的日期\(ranges ? "或日期范围" : "")。请按 MM-DD\(ranges ? "（范围写作 MM-DD…MM-DD）" : "")填写，用分号或逗号分隔。"
                        return []
                    }
                    var day = first
                    while day <= last { out.append(day); day = day.adding(days: 1) }
                }
                return out
            }
            let restDays = days(rest, key: "rest_days", ranges: true)
            let makeUp = days(makeUp, key: "make_up_days", ranges: false)
            if errors["rest_days"] == nil, restDays.isEmpty { errors["rest_days"] = "请填写 \(year) 年的放假日期（至少元旦）。" }
            if errors["make_up_days"] == nil, let weekday = makeUp.first(where: { !$0.isWeekend }) {
                errors["make_up_days"] = "\(weekday) 不是周六或周日：调休上班日只会是周末。"
            }
            if errors.isEmpty, let both = Set(restDays).intersection(makeUp).min() {
                errors["make_up_days"] = "\(both) 既列为放假又列为调休上班。"
            }
            guard errors.isEmpty else { return .failure(ArrangementError(errors: errors)) }
            return .success(Arrangement(year: year, restDays: restDays.sorted(), makeUpWorkdays: makeUp.sorted()))
        }

        /// The lists written back as typed: consecutive rest days as a range.
        public var restText: String {
            var parts: [String] = []
            var index = 0
            while index < restDays.count {
                var end = index
                while end + 1 < restDays.count, restDays[end + 1] == restDays[end].adding(days: 1) { end += 1 }
                let first = Self.monthDay(restDays[index])
                parts.append(end == index ? first : first + "…" + Self.monthDay(restDays[end]))
                index = end + 1
            }
            return parts.joined(separator: "; ")
        }

        public var makeUpText: String { makeUpWorkdays.map(Self.monthDay).joined(separator: ", ") }

        static func monthDay(_ day: DayStamp) -> String { String(day.description.dropFirst(5)) }
    }

    public struct ArrangementError: Error, Sendable, Equatable {
        public let errors: [String: String]
    }

    /// The arrangements of 2024–2026 (reference/codes.md): the seed of the administrator's table.
    public static let published: [Arrangement] = [
        (2024, "01-01; 02-10…02-17; 04-04…04-06; 05-01…05-05; 06-10; 09-15…09-17; 10-01…10-07",
         "02-04, 02-18, 04-07, 04-28, 05-11, 09-14, 09-29, 10-12"),
        (2025, "01-01; 01-28…02-04; 04-04…04-06; 05-01…05-05; 05-31…06-02; 10-01…10-08", "01-26, 02-08, 04-27, 09-28, 10-11"),
        (2026, "01-01…01-03; 02-15…02-23; 04-04…04-06; 05-01…05-05; 06-19…06-21; 09-25…09-27; 10-01…10-07",
         "01-04, 02-14, 02-28, 05-09, 09-20, 10-10"),
    ].map { try! Arrangement.parse(year: $0.0, rest: $0.1, makeUp: $0.2).get() }

    /// A calendar of these years.
    public init(_ arrangements: [Arrangement]) {
        self.init(restDays: Set(arrangements.flatMap(\.restDays)), makeUpWorkdays: Set(arrangements.flatMap(\.makeUpWorkdays)),
                  years: Set(arrangements.map(\.year)))
    }

    public static let standard = WorkingCalendar(published)
}

extension DayStamp {
    /// Day arithmetic in the Gregorian calendar (Foundation's calendar turns Julian before October 1582; days that
    /// old go through it).
    public func adding(days: Int) -> DayStamp {
        let sum = DayStamp(daysSince1970: daysSince1970 + days)
        guard year > 1600, sum.year > 1600 else { return DayStamp(Self.calendar.date(byAdding: .day, value: days, to: start)!) }
        return sum
    }

    /// Saturday or Sunday (1970-01-01 was a Thursday).
    public var isWeekend: Bool {
        guard year > 1600 else {
            let weekday = Self.calendar.component(.weekday, from: start)
            return weekday == 1 || weekday == 7
        }
        let weekday = ((daysSince1970 + 4) % 7 + 7) % 7
        return weekday == 0 || weekday == 6
    }
}
