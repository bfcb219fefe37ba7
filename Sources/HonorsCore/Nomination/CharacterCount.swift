import Foundation

/// 字数 as Microsoft Word's 字数统计 reports it, the count committees compare with "1000 字左右":
/// each CJK character or punctuation mark or other symbol counts 1, each run of Latin letters or digits
/// counts 1 (so "2023年" is 2 and "Vapor" is 1), whitespace counts 0.
public enum CharacterCount {
    public static func count(_ text: String) -> Int {
        let chars = Array(text)
        var total = 0
        var inRun = false
        for (i, ch) in chars.enumerated() {
            if ch.isWhitespace {
                inRun = false
            } else if isInvisible(ch) {
                // Zero-width marks pasted from web pages are not seen, so they neither count nor split a word.
                continue
            } else if isWordCharacter(ch) {
                if !inRun { total += 1 }
                inRun = true
            } else if inRun, isJoiner(ch), i + 1 < chars.count, isWordCharacter(chars[i + 1]) {
                // "3.5", "1,000", "COVID-19", "don't": Word keeps these inside one word.
                continue
            } else {
                total += 1
                inRun = false
            }
        }
        return total
    }

    /// A letter or digit written without East Asian width (Latin, Greek, Cyrillic, …), or a
    /// full-width Latin letter or digit, so "２０２３" counts like "2023".
    static func isWordCharacter(_ ch: Character) -> Bool {
        guard let first = ch.unicodeScalars.first else { return false }
        // A keycap or emoji sequence starting with a digit ("1️⃣") is a symbol, not a number.
        if ch.unicodeScalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x20E3 }) { return false }
        switch first.value {
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: return true
        case 0x2E80...: return false
        default: return first.properties.isAlphabetic || first.properties.generalCategory == .decimalNumber
        }
    }

    /// ASCII only: full-width "，" and "。" are Chinese punctuation and always count.
    static func isJoiner(_ ch: Character) -> Bool { ".,'’-:/_&".contains(ch) }

    static func isInvisible(_ ch: Character) -> Bool {
        ch.unicodeScalars.allSatisfy { scalar in
            TextInput.isInvisible(scalar) || TextInput.isControl(scalar)
                || scalar.properties.generalCategory == .format
        }
    }
}

/// How far 主要事迹 may stray from the notice's target length.
public struct DeedsLengthPolicy: Sendable, Hashable {
    public var target: Int
    /// Inside target ± this percent nothing is said.
    public var tolerancePercent: Int
    /// Below target × this ratio the nomination cannot be submitted.
    public var hardMinimumRatio: Double
    /// Above target × this ratio the nomination cannot be submitted.
    public var hardMaximumRatio: Double

    public init(target: Int, tolerancePercent: Int, hardMinimumRatio: Double = 0.5, hardMaximumRatio: Double = 3.0) {
        self.target = target
        self.tolerancePercent = tolerancePercent
        self.hardMinimumRatio = hardMinimumRatio
        self.hardMaximumRatio = hardMaximumRatio
    }

    /// The policy a campaign's settings describe.
    public init(settings: CampaignSettings) {
        self.init(target: settings.deedsTarget, tolerancePercent: settings.deedsTolerancePercent,
                  hardMinimumRatio: Double(settings.deedsMinimumPercent) / 100,
                  hardMaximumRatio: Double(settings.deedsMaximumPercent) / 100)
    }

    /// Counts within [softMinimum, softMaximum] pass silently.
    public var softMinimum: Int { Int((Double(target) * Double(100 - tolerancePercent) / 100).rounded(.up)) }
    public var softMaximum: Int { Int((Double(target) * Double(100 + tolerancePercent) / 100).rounded(.down)) }
    /// Counts within [hardMinimum, hardMaximum] may be submitted.
    public var hardMinimum: Int { Int((Double(target) * hardMinimumRatio).rounded(.up)) }
    public var hardMaximum: Int { Int((Double(target) * hardMaximumRatio).rounded(.down)) }

    public func check(_ text: String) -> DeedsLengthVerdict { check(count: CharacterCount.count(text)) }

    public func check(count: Int) -> DeedsLengthVerdict {
        let want = "通知要求\(target)字左右"
        if count < hardMinimum {
            return .blocking("主要事迹现为\(count)字，\(want)，不足\(hardMinimum)字不能提交，请补充")
        }
        if count > hardMaximum {
            return .blocking("主要事迹现为\(count)字，\(want)，超过\(hardMaximum)字不能提交，请精简")
        }
        if count < softMinimum {
            return .warning("主要事迹现为\(count)字，\(want)（\(softMinimum)–\(softMaximum)字），建议补充")
        }
        if count > softMaximum {
            return .warning("主要事迹现为\(count)字，\(want)（\(softMinimum)–\(softMaximum)字），建议精简")
        }
        return .ok
    }
}

public enum DeedsLengthVerdict: Sendable, Hashable {
    case ok
    case warning(String)
    case blocking(String)

    public var message: String? {
        switch self {
        case .ok: nil
        case .warning(let m), .blocking(let m): m
        }
    }

    public var isBlocking: Bool { if case .blocking = self { true } else { false } }

    /// As a FieldIssue on `deeds`, for the common issue list.
    public var issue: FieldIssue? {
        switch self {
        case .ok: nil
        case .warning(let m): .warning("deeds", m)
        case .blocking(let m): .error("deeds", m)
        }
    }
}
