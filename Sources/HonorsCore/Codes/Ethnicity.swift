/// 民族, GB/T 3304-1991. Stored as the two-digit code, shown as the name.
public struct Ethnicity: Sendable, Hashable, Codable, Identifiable, CustomStringConvertible {
    public let code: String
    public let name: String

    public var id: String { code }
    public var description: String { name }

    init(_ code: String, _ name: String) {
        self.code = code
        self.name = name
    }

    /// Every code in code order (汉族 first), as a <select> lists them.
    public static let all: [Ethnicity] = {
        let names = [
            "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
            "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
            "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
            "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
            "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
            "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
        ]
        var list = names.enumerated().map { Ethnicity(twoDigits($0.offset + 1), $0.element) }
        // Not in the 1991 list but used by every personnel system.
        list.append(Ethnicity("97", "其他"))
        list.append(Ethnicity("98", "外国血统中国籍人士"))
        return list
    }()

    private static let byCodeTable: [String: Ethnicity] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    private static let byNameTable: [String: Ethnicity] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// `"01"`, `"1"` or `"０１"` → 汉族.
    public static func byCode(_ code: String) -> Ethnicity? {
        // Stored codes are already two digits: exports look up thousands of them.
        if let exact = byCodeTable[code] { return exact }
        let digits = TextInput.halfWidth(code).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 2, let n = Int(digits) else { return nil }
        return byCodeTable[twoDigits(n)]
    }

    /// `"蒙古族"` or, as people often write in spreadsheets, `"蒙古"` → 蒙古族.
    public static func byName(_ name: String) -> Ethnicity? {
        let text = TextInput.line(name).replacingOccurrences(of: " ", with: "")
        guard !text.isEmpty else { return nil }
        return byNameTable[text] ?? byNameTable[text + "族"]
    }

    /// Import helper: a code or a name.
    public static func lookup(_ text: String) -> Ethnicity? { byCode(text) ?? byName(text) }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
