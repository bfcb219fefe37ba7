/// 文化程度, GB/T 4658-2006 学历代码. Only leaf codes are chosen; the two-digit group (…0) is kept
/// for <optgroup> display and the print level.
public struct Education: Sendable, Hashable, Codable, Identifiable, CustomStringConvertible {
    public let code: String
    public let name: String
    /// The group code, e.g. "20" for 大学本科毕业 (21); "90" for 其他, which is its own group.
    public let groupCode: String

    public var id: String { code }
    public var description: String { name }

    /// The group as shown in an <optgroup>: 研究生教育, 大学本科教育, …
    public var groupName: String { Education.groupNames[groupCode] ?? name }

    /// The coarse level printed on forms and in party statistics.
    public var level: EducationLevel {
        switch Int(code) ?? 90 {
        case 10...19: .postgraduate
        case 20...29: .undergraduate
        case 30...39: .juniorCollege
        case 41...43: .secondarySpecialized
        case 44...49, 60...69: .highSchool
        default: .juniorHighOrBelow
        }
    }

    init(_ code: String, _ name: String) {
        self.code = code
        self.name = name
        groupCode = String(code.prefix(1)) + "0"
    }

    /// Group names by group code, in code order.
    static let groupList: [(code: String, name: String)] = [
        ("10", "研究生教育"), ("20", "大学本科教育"), ("30", "大学专科教育"), ("40", "中等职业教育"),
        ("60", "普通高级中学教育"), ("70", "初级中学教育"), ("80", "小学教育"), ("90", "其他"),
    ]

    private static let groupNames: [String: String] = Dictionary(uniqueKeysWithValues: groupList.map { ($0.code, $0.name) })

    /// Every selectable (leaf) code in code order.
    public static let all: [Education] = [
        ("11", "博士研究生毕业"), ("12", "博士研究生结业"), ("13", "博士研究生肄业"),
        ("14", "硕士研究生毕业"), ("15", "硕士研究生结业"), ("16", "硕士研究生肄业"),
        ("17", "研究生班毕业"), ("18", "研究生班结业"), ("19", "研究生班肄业"),
        ("21", "大学本科毕业"), ("22", "大学本科结业"), ("23", "大学本科肄业"), ("28", "大学普通班毕业"),
        ("31", "大学专科毕业"), ("32", "大学专科结业"), ("33", "大学专科肄业"),
        ("41", "中等专科毕业"), ("42", "中等专科结业"), ("43", "中等专科肄业"),
        ("44", "职业高中毕业"), ("45", "职业高中结业"), ("46", "职业高中肄业"),
        ("47", "技工学校毕业"), ("48", "技工学校结业"), ("49", "技工学校肄业"),
        ("61", "普通高中毕业"), ("62", "普通高中结业"), ("63", "普通高中肄业"),
        ("71", "初中毕业"), ("73", "初中肄业"),
        ("81", "小学毕业"), ("83", "小学肄业"),
        ("90", "其他"),
    ].map { Education($0.0, $0.1) }

    /// The leaf codes under their groups, in order, for <optgroup>.
    public static let groups: [EducationGroup] = groupList.map { group in
        EducationGroup(code: group.code, name: group.name, options: all.filter { $0.groupCode == group.code })
    }

    private static let byCodeTable: [String: Education] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    private static let byNameTable: [String: Education] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Short names people write in spreadsheets, mapped to the "毕业" code of that level.
    private static let aliases: [String: String] = [
        "博士": "11", "博士研究生": "11", "硕士": "14", "硕士研究生": "14", "研究生": "14",
        "本科": "21", "大学本科": "21", "大学": "21", "大专": "31", "专科": "31", "大学专科": "31",
        "中专": "41", "中等专科": "41", "职高": "44", "职业高中": "44", "技校": "47", "技工学校": "47",
        "高中": "61", "普通高中": "61", "初中": "71", "小学": "81",
    ]

    /// A selectable code; group codes such as "20" are not.
    public static func byCode(_ code: String) -> Education? {
        // Stored codes are already clean: exports look up thousands of them.
        byCodeTable[code] ?? byCodeTable[TextInput.halfWidth(code).trimmingCharacters(in: .whitespaces)]
    }

    /// The standard name, or a common short form (本科 → 大学本科毕业).
    public static func byName(_ name: String) -> Education? {
        let text = TextInput.line(name).replacingOccurrences(of: " ", with: "")
        if let exact = byNameTable[text] { return exact }
        return aliases[text].flatMap { byCodeTable[$0] }
    }

    /// Import helper: a code or a name.
    public static func lookup(_ text: String) -> Education? { byCode(text) ?? byName(text) }
}

/// One <optgroup> of the 文化程度 <select>.
public struct EducationGroup: Sendable, Hashable {
    public let code: String
    public let name: String
    public let options: [Education]
}

/// The coarse 文化程度 printed on forms (研究生 / 大学本科 / 大学专科 / 中专 / 高中、中技 / 初中及以下).
public enum EducationLevel: String, CaseIterable, Sendable, Codable, Hashable {
    case postgraduate
    case undergraduate
    case juniorCollege
    case secondarySpecialized
    case highSchool
    case juniorHighOrBelow

    public var label: String {
        switch self {
        case .postgraduate: "研究生"
        case .undergraduate: "大学本科"
        case .juniorCollege: "大学专科"
        case .secondarySpecialized: "中专"
        case .highSchool: "高中、中技"
        case .juniorHighOrBelow: "初中及以下"
        }
    }
}
