import Foundation
import HonorsCore

/// Times as the alliance reads them: Beijing time, to the minute.
///
/// Lists format a time per row; an ICU formatter costs tens of microseconds to build, a quarter of a list
/// page's time when one was made per date. China has kept UTC+8 without summer time since September 1991, so from
/// 1992 on the digits are plain arithmetic (checked against the formatter in `DateFormattingTests`); older
/// instants still go through the time-zone database.
enum DateFormatting {
    /// 1992-01-01 00:00 in Beijing, after the last summer time.
    static let fixedOffsetSince = Date(timeIntervalSince1970: 694_166_400)

    static func minute(_ date: Date?) -> String {
        guard let date else { return "" }
        guard date >= fixedOffsetSince else { return zoned(date) }
        let minutes = Int((date.timeIntervalSince1970 + 8 * 3600) / 60)
        let (days, inDay) = (minutes / 1440, minutes % 1440)
        let (year, month, day) = civil(fromDays: days)
        return "\(year)-\(month.zeroPadded(2))-\(day.zeroPadded(2)) \((inDay / 60).zeroPadded(2)):\((inDay % 60).zeroPadded(2))"
    }

    /// Year, month, day of the day `days` after 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's
    /// `civil_from_days`).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The formatter's answer, for any instant (and for the test that holds the arithmetic to it). The instant is
    /// cut to its whole second first: ICU rounds to the millisecond, so 17:35:59.9996 would read 17:36, while a
    /// time belongs to the minute it falls in.
    static func zoned(_ date: Date) -> String {
        let date = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.timeZone = DayStamp.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
