import Foundation

/// A calendar day in the alliance's time zone (Asia/Shanghai), as notices state dates.
///
/// China has kept UTC+8 without summer time since September 1991, so from 1992 on a day's first instant, the day
/// of an instant and whether a date exists are plain arithmetic; older days (summer time 1986–1991, and before)
/// go through the time-zone database. Pages ask this for every row (a 补正期限, a deadline), and a `Calendar`
/// costs microseconds to make and to ask.
public struct DayStamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// 1992-01-01 00:00 in Beijing, after the last summer time: from here on Beijing is UTC+8.
    public static let fixedOffsetSince = Date(timeIntervalSince1970: 694_195_200)
    static let fixedOffsetYear = 1992
    /// Beijing's offset from UTC from `fixedOffsetSince` on.
    public static let offset: TimeInterval = 8 * 3600

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Parses `YYYY-MM-DD`; nil for anything else or a day that does not exist.
    public init?(_ text: String) {
        let parts = TextInput.halfWidth(text).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        if y >= Self.fixedOffsetYear {
            guard (1...12).contains(m), (1...Self.days(inMonth: m, of: y)).contains(d) else { return nil }
        } else {
            let components = DateComponents(year: y, month: m, day: d)
            guard let date = Self.calendar.date(from: components),
                  Self.calendar.dateComponents([.year, .month, .day], from: date) == components
            else { return nil }
        }
        self.init(year: y, month: m, day: d)
    }

    public init(_ date: Date) {
        if date >= Self.fixedOffsetSince {
            let seconds = (date.timeIntervalSince1970 + Self.offset).rounded(.down)
            self.init(daysSince1970: Int(seconds) / 86_400)
        } else {
            let c = Self.calendar.dateComponents([.year, .month, .day], from: date)
            self.init(year: c.year!, month: c.month!, day: c.day!)
        }
    }

    /// The day `days` after 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `civil_from_days`).
    public init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: doy - (153 * mp + 2) / 5 + 1)
    }

    /// Days from 1970-01-01 to this day in the proleptic Gregorian calendar (`days_from_civil`).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The first instant of the day in Asia/Shanghai.
    public var start: Date {
        guard year >= Self.fixedOffsetYear else {
            return Self.calendar.date(from: DateComponents(year: year, month: month, day: day))!
        }
        return Date(timeIntervalSince1970: TimeInterval(daysSince1970 * 86_400) - Self.offset)
    }

    /// The first instant of the next day: "by the 30th" means before this.
    public var end: Date {
        guard year >= Self.fixedOffsetYear else { return Self.calendar.date(byAdding: .day, value: 1, to: start)! }
        return start.addingTimeInterval(86_400)
    }

    public var description: String { "\(year.zeroPadded(4))-\(month.zeroPadded(2))-\(day.zeroPadded(2))" }
    /// 2024年5月30日
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (a: DayStamp, b: DayStamp) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
