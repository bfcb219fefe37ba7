import Foundation

/// 性别, GB/T 2261.1. The raw value is what forms store and print.
public enum Gender: String, CaseIterable, Sendable, Codable, Hashable {
    case male = "男"
    case female = "女"

    /// GB/T 2261.1 code: 1 男, 2 女.
    public var code: Int { self == .male ? 1 : 2 }
}

/// 公民身份号码, GB 11643-1999: a checked 18-character number.
public struct IDNumber: Sendable, Hashable, CustomStringConvertible {
    /// The normalised number: 17 digits and a digit or `X`.
    public let value: String
    public let birthDate: DayStamp

    /// Validates `raw` after `normalize`. `today` bounds the birth date (the caller's clock, so tests are fixed).
    public init(_ raw: String, today: Date) throws(IDNumberError) {
        let text = IDNumber.normalize(raw)
        guard !text.isEmpty else { throw .empty }
        guard text.count == 18 else { throw .badLength(text.count) }
        let chars = Array(text)
        guard chars[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }),
              chars[17] == "X" || (chars[17].isASCII && chars[17].isNumber)
        else { throw .badCharacters }

        // Area codes stay valid after re-districting (150602 was created in 2001 and re-issued to people
        // born long before), so only the province prefix is checked.
        let province = String(chars[0..<2])
        guard IDNumber.provinces.contains(Int(province)!) else { throw .unknownProvince(province) }

        let y = Int(String(chars[6..<10]))!, m = Int(String(chars[10..<12]))!, d = Int(String(chars[12..<14]))!
        guard let month = MonthValue(year: y, month: m), (1...month.dayCount).contains(d) else {
            throw .invalidBirthDate(String(chars[6..<14]))
        }
        let birth = DayStamp(year: y, month: m, day: d)
        guard birth <= DayStamp(today) else { throw .futureBirthDate(birth.description) }

        let expected = IDNumber.checkCharacter(String(chars[0..<17]))!
        guard expected == chars[17] else { throw .badCheckDigit(expected: expected, found: chars[17]) }

        value = text
        birthDate = birth
    }

    /// Full-width digits and letters made half-width, spaces and invisible marks dropped, `x` → `X`.
    public static func normalize(_ raw: String) -> String {
        TextInput.halfWidth(TextInput.line(raw))
            .filter { !$0.isWhitespace }
            .uppercased()
    }

    /// ISO 7064 MOD 11-2 check character of the first 17 digits; nil unless given exactly 17 digits.
    public static func checkCharacter(_ first17: String) -> Character? {
        let digits = first17.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 17, first17.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// Province-level prefixes of GB/T 2260, plus 71 台湾, 81 香港, 82 澳门, 83 (residence permits).
    static let provinces: Set<Int> = Set(Array(11...15) + Array(21...23) + Array(31...37) + Array(41...46)
        + Array(50...54) + Array(61...65) + [71, 81, 82, 83])

    public var birthMonth: MonthValue { MonthValue(birthDate) }

    /// 17th character odd = 男.
    public var gender: Gender {
        let digit = Array(value)[16].wholeNumberValue!
        return digit % 2 == 1 ? .male : .female
    }

    /// The county code where the number was first issued.
    public var areaCode: String { String(value.prefix(6)) }

    /// `15****************`: the province only. Pages that show a mask also show 出生年月 and 性别, and 籍贯 may
    /// give away the county: the day and the sequence stay hidden, so at least 14 000 numbers fit (28 days ×
    /// 500 sequences of the right parity; the check character hidden too). `MaskStrengthTests` counts them.
    public var masked: String { IDNumber.mask(value) }

    public var description: String { masked }

    /// Masks any stored text the same way, even one that no longer validates (old imports).
    public static func mask(_ text: String) -> String {
        let chars = Array(normalize(text))
        guard chars.count > 2 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(2)) + String(repeating: "*", count: chars.count - 2)
    }
}

public enum IDNumberError: Error, Sendable, Hashable {
    case empty
    case badLength(Int)
    case badCharacters
    case unknownProvince(String)
    case invalidBirthDate(String)
    case futureBirthDate(String)
    case badCheckDigit(expected: Character, found: Character)

    public var message: String {
        switch self {
        case .empty:
            "请填写身份证号"
        case .badLength(15):
            "身份证号应为18位；15位的旧号码请换成18位新号码"
        case .badLength(let n):
            "身份证号应为18位，现为\(n)位"
        case .badCharacters:
            "身份证号前17位应为数字，最后一位为数字或X"
        case .unknownProvince(let p):
            "身份证号前两位“\(p)”不是省级行政区划代码"
        case .invalidBirthDate(let text):
            "身份证号中的出生日期“\(text)”不是有效日期"
        case .futureBirthDate(let text):
            "身份证号中的出生日期 \(text) 晚于今天"
        case .badCheckDigit:
            // The expected character is not shown: the typo is usually elsewhere in the number.
            "身份证号校验位不符，请逐位核对"
        }
    }
}
