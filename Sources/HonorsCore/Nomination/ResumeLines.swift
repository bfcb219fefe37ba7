import Foundation

/// One line of 个人简历: `1998.07—2002.06 内蒙古大学 学生`; `end` is nil for `—今`.
public struct ResumeEntry: Sendable, Hashable {
    public let line: Int
    public let start: MonthValue
    public let end: MonthValue?
    /// 单位 and 职务 as written.
    public let text: String

    /// The line in the printed form's style: `1998.07—2002.06 内蒙古大学 学生`, `2018.03—今 …`.
    public var formatted: String { "\(start.dotted)—\(end?.dotted ?? "今") \(text)" }
}

/// One line of 受表彰情况: `2021.06 中共鄂尔多斯市委 优秀共产党员`.
public struct HonorEntry: Sendable, Hashable {
    public let line: Int
    public let month: MonthValue
    /// 授予单位 and 荣誉名称 as written.
    public let text: String

    public var formatted: String { "\(month.dotted) \(text)" }
}

/// Entries read from a multi-line field and what was wrong with it.
public struct ParsedLines<Entry: Sendable & Hashable>: Sendable, Hashable {
    public var entries: [Entry]
    public var issues: [FieldIssue]
    /// The field said 无 (only for 受表彰情况).
    public var isNone: Bool
}

/// Reads 个人简历 and 受表彰情况 line by line. Line numbers in messages count the lines as the user
/// sees them, blank lines included.
public enum ResumeLines {
    static let month = #"(\d{4})\s*[.\-/年．－／]\s*(\d{1,2})\s*月?"#
    /// Compiled once: building a `Regex` from text costs more than matching every line of a form with it.
    /// Dash-like separators people type: —, ——, –, -, ～, ~, 〜, 至; the end may be 今, 至今, 现在.
    nonisolated(unsafe) static let resumeLine = try! Regex(#"^"# + month + #"\s*(?:—+|–|－|-|～|~|〜|至)\s*(?:"# + month + #"|(至今|今|现在))\s*(.*)$"#)
    nonisolated(unsafe) static let honorLine = try! Regex(#"^"# + month + #"\s*(.*)$"#)

    public static func parseResume(_ raw: String, today: Date, field: String = "resume") -> ParsedLines<ResumeEntry> {
        let pattern = resumeLine
        var result = ParsedLines<ResumeEntry>(entries: [], issues: [], isNone: false)
        let lines = numberedLines(raw)
        guard !lines.isEmpty else {
            result.issues.append(.error(field, "请填写个人简历"))
            return result
        }
        let now = MonthValue(today)
        for (number, text) in lines {
            guard let m = try? pattern.wholeMatch(in: text),
                  let start = monthValue(m.output[1].substring, m.output[2].substring)
            else {
                result.issues.append(.error(field, "第\(number)行格式不对，应为“YYYY.MM—YYYY.MM 单位 职务”，如 2010.07—2015.06 某某公司 职员"))
                continue
            }
            var end: MonthValue?
            if m.output[5].substring == nil {
                guard let value = monthValue(m.output[3].substring, m.output[4].substring) else {
                    result.issues.append(.error(field, "第\(number)行结束时间不是有效的年月"))
                    continue
                }
                end = value
            }
            let rest = String(m.output[6].substring ?? "").trimmingCharacters(in: .whitespaces)
            if rest.isEmpty {
                result.issues.append(.error(field, "第\(number)行缺少单位和职务"))
            }
            if let end, end < start {
                result.issues.append(.error(field, "第\(number)行起始时间 \(start.dotted) 晚于结束时间 \(end.dotted)"))
            }
            if max(start, end ?? start) > now {
                result.issues.append(.error(field, "第\(number)行的时间晚于当前月份"))
            }
            if let previous = result.entries.last {
                if start < previous.start {
                    result.issues.append(.error(field, "第\(number)行早于第\(previous.line)行，请按时间先后排列"))
                } else if previous.end == nil {
                    // Concurrent posts are possible, so this is only a hint.
                    result.issues.append(.warning(field, "第\(previous.line)行写到“今”，但不是最后一段经历，请核对"))
                }
            }
            result.entries.append(ResumeEntry(line: number, start: start, end: end, text: rest))
        }
        return result
    }

    public static func parseHonors(_ raw: String, today: Date, field: String = "honors_received") -> ParsedLines<HonorEntry> {
        let pattern = honorLine
        var result = ParsedLines<HonorEntry>(entries: [], issues: [], isNone: false)
        let lines = numberedLines(raw)
        if lines.isEmpty {
            result.issues.append(.error(field, "请填写表彰情况，没有请填“无”"))
            return result
        }
        if lines.count == 1, ["无", "暂无", "没有"].contains(lines[0].text) {
            result.isNone = true
            return result
        }
        let now = MonthValue(today)
        for (number, text) in lines {
            guard let m = try? pattern.wholeMatch(in: text),
                  let month = monthValue(m.output[1].substring, m.output[2].substring)
            else {
                result.issues.append(.error(field, "第\(number)行格式不对，应为“YYYY.MM 授予单位 荣誉名称”，没有表彰请填“无”"))
                continue
            }
            let rest = String(m.output[3].substring ?? "").trimmingCharacters(in: .whitespaces)
            if rest.isEmpty {
                result.issues.append(.error(field, "第\(number)行缺少授予单位和荣誉名称"))
            } else if !rest.contains(" ") {
                result.issues.append(.warning(field, "第\(number)行请用空格分开授予单位和荣誉名称"))
            }
            if month > now {
                result.issues.append(.error(field, "第\(number)行的时间 \(month.dotted) 晚于当前月份"))
            }
            result.entries.append(HonorEntry(line: number, month: month, text: rest))
        }
        return result
    }

    /// Non-blank cleaned lines with their 1-based numbers. Not made half-width: the text keeps its
    /// Chinese punctuation; only the captured digits are converted.
    static func numberedLines(_ raw: String) -> [(number: Int, text: String)] {
        TextInput.lines(raw)
            .enumerated()
            .map { (number: $0.offset + 1, text: TextInput.line($0.element)) }
            .filter { !$0.text.isEmpty }
    }

    static func monthValue(_ year: Substring?, _ month: Substring?) -> MonthValue? {
        guard let year, let month, let y = Int(TextInput.halfWidth(String(year))),
              let m = Int(TextInput.halfWidth(String(month))) else { return nil }
        return MonthValue(year: y, month: m)
    }
}
