import Foundation

/// Excel keeps a date typed into a cell without text format as a day count ("40360" for 2010-07-01),
/// counted in the 1900 date system, whose phantom 1900-02-29 puts day 0 at 1899-12-30 for later dates.
public enum ExcelSerialDate {
    /// The day a serial stands for, or nil when the text is no plausible serial: five digits (1927 to
    /// 2173), as a shorter number is more likely a typo than a date on these forms.
    public static func day(_ text: String) -> DayStamp? {
        let digits = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let serial = Int(digits) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let zero = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30)),
              let date = calendar.date(byAdding: .day, value: serial, to: zero) else { return nil }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return DayStamp(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}
