import Foundation

/// 字数 as Microsoft Word's 字数统计 reports it, the count committees compare with "1000 字左右":
/// each CJK character or punctuation mark or other symbol counts 1, each run of Latin letters or digits
/// counts 1 (so "2023年" is 2 and "Vapor" is 1), whitespace counts 0.
public enum CharacterCount {
    public static func count(_ text: String) -> Int {
        plainCount(text) ?? characterCount(text)
    }

    /// The count character by character: any text.
    static func characterCount(_ text: String) -> Int {
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

    /// The same count for text made only of printable ASCII, tabs, line ends, Chinese punctuation, full-width
    /// forms and CJK (nearly every 主要事迹), read scalar by scalar: none of these scalars combine into larger
    /// characters, so the grapheme breaking and property lookups of `characterCount` are not needed. Nil
    /// for any other text.
    static func plainCount(_ text: String) -> Int? {
        var total = 0
        var inRun = false
        // A joiner inside a run ("3.5"): it stays in the run if a letter or digit follows, else counts alone.
        var pendingJoiner = false
        for scalar in text.unicodeScalars {
            let isWord: Bool, isSpace: Bool
            switch scalar.value {
            case 0x4E00...0x9FFF:
                // The common ideographs first: most of any 主要事迹.
                (isWord, isSpace) = (false, false)
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                (isWord, isSpace) = (true, false)
            case 0x09, 0x0A, 0x0D, 0x20:
                (isWord, isSpace) = (false, true)
            // ASCII and Chinese punctuation (·, dashes, quotes, …, 、。《》, full-width ，！？：；（）), kana,
            // the other CJK ideographs and their extensions.
            case 0x21...0x7E, 0xB7, 0x2010...0x2027, 0x3001...0x30FF, 0x3400...0x4DBF, 0xF900...0xFAFF,
                 0xFE30...0xFE4F, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65,
                 0x20000...0x323AF:
                (isWord, isSpace) = (false, false)
            default:
                return nil
            }
            if pendingJoiner {
                pendingJoiner = false
                if isWord { continue }
                total += 1
                inRun = false
            }
            if isSpace {
                inRun = false
            } else if isWord {
                if !inRun { total += 1 }
                inRun = true
            } else if inRun, isJoiner(Character(scalar)) {
                pendingJoiner = true
            } else {
                total += 1
                inRun = false
            }
        }
        return total + (pendingJoiner ? 1 : 0)
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
