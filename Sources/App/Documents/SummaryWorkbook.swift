import Foundation
import HonorsCore
import HonorsOffice

/// 汇总表: 总览, an overview that prints on A4; one sheet per category with every field of fields.md as a column
/// under its Chinese label; and, on request, each committee's overview on a sheet of its own. ID number and
/// phone are text cells, masked unless `fullPersonalData`.
struct SummaryWorkbook {
    struct Row {
        let committee: String
        let category: NominationCategory
        let state: NominationState
        let values: [String: String]
        /// The attestation keys the committee ticked.
        let attested: Set<String>
        let hasPhoto: Bool
    }

    let title: String
    let rows: [Row]
    let fullPersonalData: Bool
    let sheetPerCommittee: Bool

    /// "鄂党联发〔2024〕4号 推荐汇总表": the workbook's title and, with ".xlsx", its file name.
    static func title(of campaign: Campaign) -> String {
        "\(campaign.documentNumber) 推荐汇总表"
    }

    func make() throws -> Data {
        try workbook().xlsxData()
    }

    /// Writes the workbook to a file, sheet by sheet: the large exports' way.
    func write(to url: URL) throws {
        try workbook().write(to: url)
    }

    private func workbook() -> XlsxWorkbook {
        var workbook = XlsxWorkbook()
        workbook.add(overviewSheet(named: "总览", rows: rows, showsCommittee: true))
        for category in NominationCategory.allCases {
            workbook.add(sheet(named: category.label, category: category, rows: rows.filter { $0.category == category }))
        }
        if sheetPerCommittee {
            var committees: [String] = []
            for row in rows where !committees.contains(row.committee) { committees.append(row.committee) }
            for committee in committees {
                workbook.add(overviewSheet(named: committee, rows: rows.filter { $0.committee == committee },
                                           showsCommittee: false))
            }
        }
        return workbook
    }

    private func cellValue(_ key: String, _ values: [String: String]) -> String {
        let text = values[key] ?? ""
        guard !fullPersonalData, NominationService.sensitiveKeys.contains(key) else { return text }
        return NominationService.masked(key, text)
    }

    /// Every field of fields.md that a category's nominations carry, in the order of the printed form,
    /// then the attestations and photo (people), and the two opinions.
    static func columns(for category: NominationCategory) -> [String] {
        NominationForm.fields(for: category).map(\.key)
            + (category.isPerson ? NominationForm.attestations.map(\.key) + ["photo"] : [])
            + NominationForm.committeeFields.map(\.key) + ["alliance_opinion", "alliance_opinion_date"]
    }

    /// Column headers: the labels of the category's form (表彰情况 on 附件2, 受表彰情况 on the others), with the
    /// opinion block's short ones made plain for a table.
    static func header(of key: String, category: NominationCategory) -> String {
        switch key {
        case "committee_signer": "行业党委书记签字"
        case "committee_opinion_date": "行业党委意见日期"
        default: NominationForm.fields(for: category).first { $0.key == key }?.label ?? NominationForm.label(of: key)
        }
    }

    private func column(_ key: String, category: NominationCategory) -> XlsxColumn {
        XlsxColumn(Self.header(of: key, category: category), width: Self.width(of: key), wrapsText: Self.wrapped.contains(key))
    }

    private func sheet(named name: String, category: NominationCategory, rows: [Row]) -> XlsxSheet {
        let keys = Self.columns(for: category)
        var sheet = XlsxSheet(name: name, columns: [XlsxColumn("序号", width: 6), XlsxColumn("行业党委", width: 22),
                                                     XlsxColumn("状态", width: 8)] + keys.map { column($0, category: category) },
                              title: "\(title) · \(category.label)")
        for (index, row) in rows.enumerated() {
            sheet.addRow(["\(index + 1)", row.committee, row.state.label] + keys.map { display($0, row) })
        }
        return sheet
    }

    /// 总览, and a committee's own sheet: one line per nomination of every category with the facts a meeting
    /// reads, narrow enough to print legibly on A4 landscape. The category sheets hold every field.
    private func overviewSheet(named name: String, rows: [Row], showsCommittee: Bool) -> XlsxSheet {
        var sheet = XlsxSheet(name: name, columns: [XlsxColumn("序号", width: 6)]
            + (showsCommittee ? [XlsxColumn("行业党委", width: 22)] : []) + [
            XlsxColumn("类别", width: 14), XlsxColumn("姓名（党组织名称）", width: 24, wrapsText: true),
            XlsxColumn("性别", width: 6), XlsxColumn("民族", width: 8), XlsxColumn("出生年月", width: 10),
            XlsxColumn("文化程度", width: 12), XlsxColumn("工作单位及职务（所在单位）", width: 32, wrapsText: true),
            XlsxColumn("一线", width: 6), XlsxColumn("事迹字数", width: 9), XlsxColumn("照片", width: 6),
            XlsxColumn("状态", width: 8),
        ], title: "\(title) · \(name)")
        for (index, row) in rows.enumerated() {
            let person = row.category.isPerson
            sheet.addRow(["\(index + 1)"] + (showsCommittee ? [row.committee] : []) + [
                row.category.label, row.values[person ? "name" : "org_name"] ?? "",
                person ? display("gender", row) : "", person ? display("ethnicity", row) : "",
                person ? display("birth_month", row) : "", person ? display("education", row) : "",
                row.values[person ? "unit_and_position" : "org_unit"] ?? "", person ? display("frontline", row) : "",
                "\(CharacterCount.count(row.values["deeds"] ?? ""))", person ? display("photo", row) : "",
                row.state.label,
            ])
        }
        return sheet
    }

    private func display(_ key: String, _ row: Row) -> String {
        if NominationForm.attestations.contains(where: { $0.key == key }) {
            return row.attested.contains(key) ? "已确认" : "未确认"
        }
        if key == "photo" { return row.hasPhoto ? "有" : "无" }
        let text = cellValue(key, row.values)
        switch key {
        case "ethnicity": return Ethnicity.byCode(text)?.name ?? text
        case "education": return Education.byCode(text)?.name ?? text
        case "frontline": return text == "yes" ? "是" : (text == "no" ? "否" : text)
        default: return text
        }
    }

    /// Long texts wrap inside their column: unwrapped, they would spill across the page and printing
    /// "fit to width" would shrink everything to nothing.
    static let wrapped: Set<String> = ["deeds", "resume", "honors_received", "basic_info", "committee_opinion",
                                       "alliance_opinion"]

    static func width(of key: String) -> Double {
        switch key {
        case "deeds": 80
        case "resume", "honors_received", "basic_info", "committee_opinion", "alliance_opinion": 40
        case "id_number": 22
        case "no_violation_3y", "dues_paid_3y", "org_life_3y", "vanguard_3y": 16
        case "unit_and_position", "recommending_branch", "org_name", "org_unit": 26
        default: 12
        }
    }
}
