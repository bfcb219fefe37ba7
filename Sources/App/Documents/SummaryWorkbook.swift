import Foundation
import HonorsCore
import HonorsOffice

/// 汇总表: one sheet per category (and, on request, one per committee) with every field of fields.md as a
/// column under its Chinese label. ID number and phone are text cells, masked unless `fullPersonalData`.
struct SummaryWorkbook {
    struct Row {
        let committee: String
        let category: NominationCategory
        let state: NominationState
        let values: [String: String]
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
        for category in NominationCategory.allCases {
            workbook.add(sheet(named: category.label, category: category, rows: rows.filter { $0.category == category }))
        }
        if sheetPerCommittee {
            var committees: [String] = []
            for row in rows where !committees.contains(row.committee) { committees.append(row.committee) }
            for committee in committees {
                let mine = rows.filter { $0.committee == committee }
                workbook.add(mixedSheet(named: committee, rows: mine))
            }
        }
        return workbook
    }

    private func cellValue(_ key: String, _ values: [String: String]) -> String {
        let text = values[key] ?? ""
        guard !fullPersonalData, NominationService.sensitiveKeys.contains(key) else { return text }
        return NominationService.masked(key, text)
    }

    private func columns(for category: NominationCategory) -> [String] {
        NominationForm.fields(for: category).map(\.key) + ["committee_opinion", "committee_signer", "committee_opinion_date"]
    }

    private func sheet(named name: String, category: NominationCategory, rows: [Row]) -> XlsxSheet {
        let keys = columns(for: category)
        var sheet = XlsxSheet(name: name, columns: [XlsxColumn("序号", width: 6), XlsxColumn("行业党委", width: 22),
                                                     XlsxColumn("状态", width: 8)]
                              + keys.map { XlsxColumn(NominationForm.label(of: $0), width: Self.width(of: $0),
                                                               wrapsText: Self.wrapped.contains($0)) },
                              title: "\(title) · \(category.label)")
        for (index, row) in rows.enumerated() {
            sheet.addRow(["\(index + 1)", row.committee, row.state.label] + keys.map { display($0, row.values) })
        }
        return sheet
    }

    private func mixedSheet(named name: String, rows: [Row]) -> XlsxSheet {
        var sheet = XlsxSheet(name: name, columns: [XlsxColumn("序号", width: 6), XlsxColumn("类别", width: 14),
                                                     XlsxColumn("名称", width: 24), XlsxColumn("状态", width: 8),
                                                     XlsxColumn("身份证号", width: 22), XlsxColumn("联系电话", width: 16)],
                              title: "\(title) · \(name)")
        for (index, row) in rows.enumerated() {
            sheet.addRow(["\(index + 1)", row.category.label, row.values[row.category.isPerson ? "name" : "org_name"] ?? "",
                          row.state.label, cellValue("id_number", row.values), cellValue("phone", row.values)])
        }
        return sheet
    }

    private func display(_ key: String, _ values: [String: String]) -> String {
        let text = cellValue(key, values)
        switch key {
        case "ethnicity": return Ethnicity.byCode(text)?.name ?? text
        case "education": return Education.byCode(text)?.name ?? text
        case "frontline": return text == "yes" ? "是" : (text == "no" ? "否" : text)
        default: return text
        }
    }

    /// Long texts wrap inside their column: unwrapped, they would spill across the page and printing
    /// "fit to width" would shrink everything to nothing.
    static let wrapped: Set<String> = ["deeds", "resume", "honors_received", "basic_info", "committee_opinion"]

    static func width(of key: String) -> Double {
        switch key {
        case "deeds": 80
        case "resume", "honors_received", "basic_info", "committee_opinion": 40
        case "id_number": 22
        case "unit_and_position", "recommending_branch", "org_name", "org_unit": 26
        default: 12
        }
    }
}
