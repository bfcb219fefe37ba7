import Foundation

/// One way to look at the make-up of a list of nominees: who is from the front line, women, ethnic minorities,
/// age, years in the party, education, and for organisations their size. Each facet reads one field of the
/// form (its key of fields.md) and sorts the stored value into bands, as party statistics print them.
///
/// The database keeps a count per stored value (`nomination_composition`), never per band, so the bands can
/// change without recounting; years are banded against the campaign's award year when the report is read.
public enum CompositionFacet: String, CaseIterable, Sendable, Codable {
    case frontline
    case gender
    case ethnicity
    case age
    case partyYears = "party_years"
    case education
    case members

    public var label: String {
        switch self {
        case .frontline: "基层和生产、工作一线"
        case .gender: "性别"
        case .ethnicity: "民族"
        case .age: "年龄（按表彰年度计）"
        case .partyYears: "党龄（按表彰年度计）"
        case .education: "文化程度"
        case .members: "党员人数"
        }
    }

    /// The form field whose value is counted.
    public var fieldKey: String {
        switch self {
        case .frontline: "frontline"
        case .gender: "gender"
        case .ethnicity: "ethnicity"
        case .age: "birth_month"
        case .partyYears: "party_join_date"
        case .education: "education"
        case .members: "member_count"
        }
    }

    /// Counted by year (the first four characters of a `YYYY-MM…` value) rather than by the whole value.
    public var countsYear: Bool { self == .age || self == .partyYears }

    /// Whether nominations of `category` carry this facet: organisations only their size, people the rest.
    public func applies(to category: NominationCategory) -> Bool {
        (self == .members) == (category == .org)
    }

    /// The bands in the order a table lists them.
    public var bands: [CompositionBand] {
        switch self {
        case .frontline: [.init("yes", "一线"), .init("no", "非一线")]
        case .gender: [.init("男", "男"), .init("女", "女")]
        case .ethnicity: [.init("han", "汉族"), .init("minority", "少数民族"), .init("other", "其他")]
        case .age: Self.ranges(Self.ageRanges, unit: "岁")
        case .partyYears: Self.ranges(Self.partyYearRanges, unit: "年")
        case .education: EducationLevel.allCases.map { .init($0.rawValue, $0.label) }
        case .members: Self.ranges(Self.memberRanges, unit: "人")
        }
    }

    /// The band of a stored value (a year for `countsYear` facets), or nil when the value is empty or cannot be read.
    public func band(of value: String, awardYear: Int) -> String? {
        let value = Self.trimmed(value)
        guard !value.isEmpty else { return nil }
        switch self {
        case .frontline: return ["yes", "no"].contains(value) ? value : nil
        case .gender: return Gender(rawValue: value)?.rawValue
        case .ethnicity:
            guard let ethnicity = Ethnicity.byCode(value) else { return nil }
            // 97 其他 and 98 外国血统中国籍人士 are neither 汉族 nor one of the 55 minorities.
            return ethnicity.code == "01" ? "han" : Int(ethnicity.code).map { $0 <= 56 } == true ? "minority" : "other"
        case .education: return Education.byCode(value)?.level.rawValue
        case .age: return Int(value.prefix(4)).flatMap { Self.range(awardYear - $0, in: Self.ageRanges) }
        case .partyYears: return Int(value.prefix(4)).flatMap { Self.range(awardYear - $0, in: Self.partyYearRanges) }
        case .members: return Int(value).flatMap { Self.range($0, in: Self.memberRanges) }
        }
    }

    /// `value` without the spaces and tabs around it, as `trimmingCharacters(in: .whitespaces)` gives it, and the
    /// same string when there are none: a report bands every stored value, and Foundation's trim bridged each.
    /// Foundation's set is the spaces (Zs), the tab and U+200B.
    static func trimmed(_ value: String) -> String {
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = value.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, blank(first) || blank(last) else { return value }
        guard let start = scalars.firstIndex(where: { !blank($0) }), let end = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(scalars[start...end])
    }

    // MARK: Ranges

    /// Lower bounds, each band up to the next one's bound less one; the last has no upper bound.
    static let ageRanges = [0, 36, 46, 56]
    static let partyYearRanges = [0, 6, 11, 21, 31]
    static let memberRanges = [3, 10, 30, 50, 100]

    private static func range(_ number: Int, in lowerBounds: [Int]) -> String? {
        guard let first = lowerBounds.first, number >= first else { return nil }
        return "\(lowerBounds.last { number >= $0 } ?? first)"
    }

    private static func ranges(_ lowerBounds: [Int], unit: String) -> [CompositionBand] {
        lowerBounds.enumerated().map { index, low in
            let label: String
            if index == 0 {
                label = low == 0 ? "\(lowerBounds[1] - 1)\(unit)及以下" : "\(low)—\(lowerBounds[1] - 1)\(unit)"
            } else if index == lowerBounds.count - 1 {
                label = "\(low)\(unit)及以上"
            } else {
                label = "\(low)—\(lowerBounds[index + 1] - 1)\(unit)"
            }
            return CompositionBand("\(low)", label)
        }
    }
}

/// One band of a facet: its key (what `CompositionFacet.band(of:awardYear:)` returns) and its label.
public struct CompositionBand: Sendable, Equatable, Codable {
    public let key: String
    public let label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}

/// "重点表彰基层和生产、工作一线的党员" (notice, 推荐条件 4): Honors reads the emphasis as at least half of the
/// people a list names coming from the front line, and points out every list below that.
public enum FrontlinePriority {
    public static let minimumPercent = 50

    /// Whether `frontline` of `people` falls short of the emphasis; an empty list does not.
    public static func fallsShort(frontline: Int, of people: Int) -> Bool {
        people > 0 && frontline * 100 < people * minimumPercent
    }
}
