import Foundation
import HonorsCore

/// Times as the alliance reads them: Beijing time, to the minute.
enum DateFormatting {
    static func minute(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.timeZone = DayStamp.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
