/// How one field of an approval form is entered and checked.
public struct FieldSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// One line of text, at most `maxLength` characters.
        case text(maxLength: Int)
        /// Several lines (简历, 受表彰情况, 基本情况, 意见).
        case block(maxLength: Int)
        /// The long 主要事迹 text, counted as Word's 字数.
        case deeds
        /// `YYYY-MM`.
        case month
        /// `YYYY-MM-DD`.
        case day
        /// A whole number.
        case number
        /// One of a fixed list: (code, label).
        case choice([Choice])
        /// 是 / 否.
        case yesNo
    }

    public struct Choice: Sendable, Hashable {
        public let value: String
        public let label: String
        public init(value: String, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The key of fields.md: form field name, column, audit field.
    public let key: String
    /// The Chinese label printed on the form.
    public let label: String
    public let kind: Kind
    /// Needed for a complete nomination (drafts may lack it).
    public let required: Bool
    /// A short hint shown under the input.
    public let hint: String?

    public init(key: String, label: String, kind: Kind, required: Bool, hint: String? = nil) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.hint = hint
    }

    /// A stored value as pages show it: a choice by its name, yes / no as 是 / 否, anything else as it is.
    public func displayValue(_ value: String) -> String {
        switch kind {
        case .choice(let choices): choices.first { $0.value == value }?.label ?? value
        case .yesNo: value == "yes" ? "是" : value == "no" ? "否" : value
        default: value
        }
    }
}

/// What a committee typed for one nomination, before any checking: values keyed by fields.md keys.
public struct NominationInput: Sendable, Hashable {
    public var category: NominationCategory
    /// Text as typed, by field key (empty or missing means not filled in).
    public var values: [String: String]
    /// The attestation keys (`no_violation_3y` …) the committee ticked.
    public var attestations: Set<String>
    public var hasPhoto: Bool

    public init(category: NominationCategory, values: [String: String], attestations: Set<String> = [],
                hasPhoto: Bool = false) {
        self.category = category
        self.values = values
        self.attestations = attestations
        self.hasPhoto = hasPhoto
    }
}

/// The outcome of checking a nomination.
public struct NominationCheck: Sendable, Hashable {
    /// The values as they will be stored: cleaned text, ID number and phone normalised, months as
    /// `YYYY-MM`; 出生年月 and 性别 filled from a valid ID number when left empty.
    public var cleaned: [String: String]
    /// Every problem and warning, each tied to its field key.
    public var issues: [FieldIssue]
    /// Keys of required fields (and attestations, and `photo`) that are still empty.
    public var missing: [String]
    /// The 主要事迹 count, for the live counter and the page.
    public var deedsCount: Int

    public init(cleaned: [String: String], issues: [FieldIssue], missing: [String], deedsCount: Int) {
        self.cleaned = cleaned
        self.issues = issues
        self.missing = missing
        self.deedsCount = deedsCount
    }

    /// Complete: nothing required is missing and no error stands. Only complete nominations are submitted.
    public var isComplete: Bool { missing.isEmpty && !issues.hasErrors }
}
