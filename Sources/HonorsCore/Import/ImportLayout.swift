/// The columns of the Excel import template. People (优秀共产党员 and 优秀党务工作者, told apart by 类别)
/// share one sheet, 先进基层党组织 have their own, because their forms share almost no field. Row 1 of a
/// sheet carries the Chinese labels, row 2 the keys of fields.md: the importer finds columns by key, so
/// users may reorder, hide or relabel columns without breaking the import.
public enum ImportLayout {
    public struct Sheet: Sendable {
        /// The tab name in the template.
        public let name: String
        /// The categories whose rows belong on this sheet.
        public let categories: [NominationCategory]
        /// Every column in order: 类别 (people only), the form's fields, then the attestations.
        public let columns: [FieldSpec]
    }

    /// The pseudo-field naming a row's category.
    public static let categoryKey = "category"

    /// More rows than any committee's quota could use, and a bound on the work of one upload.
    public static let maximumRows = 500

    public static let people = Sheet(
        name: "优秀共产党员和优秀党务工作者", categories: [.member, .worker],
        columns: [FieldSpec(key: categoryKey, label: "推荐类别", kind: .choice(choices([.member, .worker])), required: true)]
            + NominationForm.fields(for: .worker)
            + NominationForm.attestations.map { FieldSpec(key: $0.key, label: $0.statement, kind: .yesNo, required: true) })

    public static let organisations = Sheet(
        name: "先进基层党组织", categories: [.org], columns: NominationForm.fields(for: .org))

    public static let sheets = [people, organisations]

    /// The template's hidden code lists and its instructions: read by people, never imported.
    public static let codeSheetName = "代码表"
    public static let instructionsSheetName = "填写说明"
    public static let helperSheetNames: Set<String> = [codeSheetName, instructionsSheetName]

    /// Keys that only 优秀党务工作者 fill in (党内职务, 从事党务工作时间).
    public static let workerOnlyKeys: Set<String> = Set(NominationForm.fields(for: .worker).map(\.key))
        .subtracting(NominationForm.fields(for: .member).map(\.key))

    /// Every key a template column may carry.
    public static let knownKeys: Set<String> = Set(sheets.flatMap { $0.columns.map(\.key) })

    /// The label row's text: the printed label, `*` when the form requires it, and who fills it.
    public static func header(_ spec: FieldSpec) -> String {
        var text = spec.label + (spec.required ? " *" : "")
        if workerOnlyKeys.contains(spec.key) { text += "（仅优秀党务工作者）" }
        return text
    }

    static func choices(_ categories: [NominationCategory]) -> [FieldSpec.Choice] {
        categories.map { FieldSpec.Choice(value: $0.rawValue, label: $0.label) }
    }
}
