import Foundation

/// A calendar month, the precision the approval forms use for every date of a person.
public struct MonthValue: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    public init(_ day: DayStamp) {
        year = day.year
        month = day.month
    }

    /// The month of an instant in the alliance's time zone (Asia/Shanghai).
    public init(_ date: Date) { self.init(DayStamp(date)) }

    /// Parses what people type: `2010-07`, `2010.7`, `2010/07`, `2010年7月`, `2010-07-01`,
    /// `2010年7月1日`, `201007`, `20100701`, with full-width digits. A given day must exist.
    public init?(_ text: String) {
        var groups: [String] = []
        var current = ""
        var lastWasSeparator = false
        for ch in TextInput.halfWidth(text).trimmingCharacters(in: .whitespaces) {
            if ch.isASCII, ch.isNumber {
                current.append(ch)
                lastWasSeparator = false
            } else if "-./年月日".contains(ch) {
                // Two separators in a row ("2010..07") are a typo we do not guess at.
                if lastWasSeparator || current.isEmpty { return nil }
                groups.append(current)
                current = ""
                lastWasSeparator = true
            } else if ch == " " {
                continue
            } else {
                return nil
            }
        }
        if !current.isEmpty { groups.append(current) }
        // Compact forms from spreadsheets: 201007, 20100701.
        if groups.count == 1, let only = groups.first, only.count == 6 || only.count == 8 {
            let chars = Array(only)
            groups = [String(chars[0..<4]), String(chars[4..<6])]
            if chars.count == 8 { groups.append(String(chars[6..<8])) }
        }
        guard groups.count == 2 || groups.count == 3,
              groups[0].count == 4, groups.dropFirst().allSatisfy({ (1...2).contains($0.count) }),
              let y = Int(groups[0]), let m = Int(groups[1]), let value = MonthValue(year: y, month: m)
        else { return nil }
        if groups.count == 3 {
            guard let d = Int(groups[2]), (1...value.dayCount).contains(d) else { return nil }
        }
        self = value
    }

    /// Months since year 0, so differences are plain subtraction.
    public var index: Int { year * 12 + (month - 1) }

    public func adding(months: Int) -> MonthValue {
        var (y, m) = (index + months).quotientAndRemainder(dividingBy: 12)
        if m < 0 { y -= 1; m += 12 }
        return MonthValue(unchecked: y, m + 1)
    }

    public func adding(years: Int) -> MonthValue { adding(months: years * 12) }

    /// Whole months from `self` to `other` (negative when `other` is earlier).
    public func months(until other: MonthValue) -> Int { other.index - index }

    /// Days in this month (Gregorian leap years).
    public var dayCount: Int {
        switch month {
        case 2: MonthValue.isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// `2010-07`, the stored and exchanged form.
    public var description: String { "\(year.zeroPadded(4))-\(month.zeroPadded(2))" }
    /// `2010.07`, the form résumés are written in.
    public var dotted: String { "\(year.zeroPadded(4)).\(month.zeroPadded(2))" }
    /// `2010年7月`, for messages and printed forms.
    public var chinese: String { "\(year)年\(month)月" }

    public static func < (a: MonthValue, b: MonthValue) -> Bool { a.index < b.index }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    // Stored as the text `YYYY-MM`, so database columns and JSON stay readable.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = MonthValue(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a month: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
