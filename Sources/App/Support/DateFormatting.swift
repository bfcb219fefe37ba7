import Foundation
import HonorsCore

/// Times as the alliance reads them: Beijing time, to the minute.
///
/// Lists format a time per row; an ICU formatter costs tens of microseconds to build, a quarter of a list
/// page's time when one was made per date. China has kept UTC+8 without summer time since September 1991, so from
/// 1992 on the digits are plain arithmetic (`DayStamp`'s; checked against the formatter in `DateFormattingTests`); older
/// instants still go through the time-zone database.
enum DateFormatting {
    static func minute(_ date: Date?) -> String {
        guard let date else { return "" }
        guard date >= DayStamp.fixedOffsetSince else { return zoned(date) }
        let minutes = Int((date.timeIntervalSince1970 + DayStamp.offset) / 60)
        let (days, inDay) = (minutes / 1440, minutes % 1440)
        let day = DayStamp(daysSince1970: days)
        return "\(day) \((inDay / 60).zeroPadded(2)):\((inDay % 60).zeroPadded(2))"
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
