import Foundation

/// 联系电话: a mainland mobile number or a landline with area code, normalised for storage.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case mobile
        case landline
    }

    public let kind: Kind
    /// Mobile: 11 digits. Landline: area code `0…`, then the local number.
    public let areaCode: String
    public let number: String
    /// Landline extension (分机), digits only; empty when none.
    public let extensionNumber: String

    /// Validates and normalises what was typed (spaces, hyphens, brackets, full-width digits, +86).
    public init(_ raw: String) throws(PhoneError) {
        var text = TextInput.halfWidth(TextInput.line(raw)).filter { !$0.isWhitespace }
        guard !text.isEmpty else { throw .empty }

        // Extension: 0477-8581234转801, …-8581234-801 is handled below, ext./# as written abroad.
        var ext = ""
        for marker in ["转", "ext.", "ext", "EXT", "Ext", "#"] {
            if let range = text.range(of: marker) {
                ext = String(text[range.upperBound...])
                text = String(text[..<range.lowerBound])
                break
            }
        }
        guard ext.allSatisfy(\.isASCIIDigit), ext.count <= 6 else { throw .invalid }

        if text.hasPrefix("+86") { text.removeFirst(3) } else if text.hasPrefix("0086") { text.removeFirst(4) }
        // Groups as typed, so a written area code (0477-…, (0477)…) is taken as given.
        let groups = text.split(whereSeparator: { "-()".contains($0) }).map(String.init)
        guard !groups.isEmpty, groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { throw .invalid }
        var digits = groups.joined()
        if digits.count == 13, digits.hasPrefix("86"), digits.dropFirst(2).hasPrefix("1") { digits.removeFirst(2) }

        if digits.hasPrefix("1") {
            guard ext.isEmpty, digits.count == 11 else { throw .mobileLength(digits.count) }
            guard let second = Array(digits)[1].wholeNumberValue, (3...9).contains(second) else {
                throw .mobilePrefix(String(digits.prefix(2)))
            }
            kind = .mobile
            areaCode = ""
            number = digits
            extensionNumber = ""
            return
        }
        guard digits.hasPrefix("0") else {
            if (7...8).contains(digits.count) { throw .missingAreaCode }
            throw .invalid
        }

        var area: String
        var local: String
        if groups.count >= 2, groups[0].hasPrefix("0") {
            area = groups[0]
            local = groups[1]
            // A third group is an extension: 0477-8581234-801.
            if groups.count == 3, ext.isEmpty, groups[2].count <= 6 { ext = groups[2] } else if groups.count > 2 { throw .invalid }
        } else {
            // Without a separator the area code length follows the numbering plan:
            // 010 and 02x are three digits, every other area code four.
            let areaLength = digits.hasPrefix("01") || digits.hasPrefix("02") ? 3 : 4
            area = String(digits.prefix(areaLength))
            local = String(digits.dropFirst(areaLength))
        }
        guard PhoneNumber.isAreaCode(area) else { throw .landlineAreaCode(area) }
        guard (7...8).contains(local.count), !local.hasPrefix("0") else { throw .landlineLength(local.count) }
        kind = .landline
        areaCode = area
        number = local
        extensionNumber = ext
    }

    /// The stored form: `18647176667`, `0477-8581234`, `0477-8581234-801`.
    public var normalized: String {
        switch kind {
        case .mobile: number
        case .landline: [areaCode, number, extensionNumber].filter { !$0.isEmpty }.joined(separator: "-")
        }
    }

    public var description: String { normalized }

    /// `186*****667`; `0477-*****34` (the extension is left off). At least 10 000 numbers fit each mask:
    /// 5 hidden digits of a mobile, and of a 7-digit local number 5 hidden with the first never 0 (90 000).
    public var masked: String {
        switch kind {
        case .mobile:
            String(number.prefix(3)) + "*****" + String(number.suffix(3))
        case .landline:
            areaCode + "-" + String(repeating: "*", count: number.count - 2) + String(number.suffix(2))
        }
    }

    /// New ranges open every year, so an unknown one is only a hint to double-check, never a refusal.
    public var warning: String? {
        guard kind == .mobile, !PhoneNumber.knownMobilePrefixes.contains(String(number.prefix(3))) else { return nil }
        return "手机号段 \(number.prefix(3)) 较少见，请核对号码"
    }

    /// 010 and 020–029 are the three-digit area codes; all others are four digits starting 03–09.
    static func isAreaCode(_ area: String) -> Bool {
        let d = area.compactMap(\.wholeNumberValue)
        guard d.count == area.count, d.first == 0 else { return false }
        switch d.count {
        case 3: return (d[1] == 1 && d[2] == 0) || d[1] == 2
        case 4: return d[1] >= 3
        default: return false
        }
    }

    /// Mobile number ranges in use (voice and data) as of 2024.
    static let knownMobilePrefixes: Set<String> = Set(
        (130...139).map(String.init) + ["145", "146", "147", "148", "149"]
            + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
            + ["162", "165", "166", "167"] + ["170", "171", "172", "173", "174", "175", "176", "177", "178"]
            + (180...189).map(String.init) + ["190", "191", "192", "193", "195", "196", "197", "198", "199"]
    )
}

public enum PhoneError: Error, Sendable, Hashable {
    case empty
    case invalid
    case mobileLength(Int)
    case mobilePrefix(String)
    case missingAreaCode
    case landlineAreaCode(String)
    case landlineLength(Int)

    public var message: String {
        switch self {
        case .empty: "请填写联系电话"
        case .invalid: "联系电话应为11位手机号或带区号的固定电话，如 0477-8581234"
        case .mobileLength(let n): "手机号应为11位，现为\(n)位"
        case .mobilePrefix(let p): "手机号不应以 \(p) 开头"
        case .missingAreaCode: "固定电话请加区号，如 0477-8581234"
        case .landlineAreaCode(let a): "区号“\(a)”不正确，如 010、0471、0477"
        case .landlineLength(let n): "固定电话号码（不含区号）应为7至8位，现为\(n)位"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
