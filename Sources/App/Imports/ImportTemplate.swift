import Foundation
import HonorsCore
import HonorsOffice

/// The Excel template committees fill in offline: a sheet for people and one for organisations, each with
/// the Chinese labels in row 1 and the field keys in row 2, dropdowns fed by a hidden code sheet, and a
/// sheet of instructions.
enum ImportTemplate {
    /// Rows that carry the dropdowns: more than a file may import, so a user never runs out of them.
    static let validatedRows = 1000

    /// The dropdown lists, one column each on the hidden code sheet.
    static func codeLists() -> [(key: String, values: [String])] {
        [
            (ImportLayout.categoryKey, ImportLayout.people.categories.map(\.label)),
            ("gender", Gender.allCases.map(\.rawValue)),
            ("ethnicity", Ethnicity.all.map(\.name)),
            ("education", Education.all.map(\.name)),
            ("yes_no", ["是", "否"]),
        ]
    }

    static func make() throws -> Data {
        let lists = codeLists()
        var workbook = XlsxWorkbook()
        var codes = XlsxSheet(name: ImportLayout.codeSheetName, columns: lists.map { XlsxColumn($0.key, width: 16) },
                              freezesHeader: false, hasAutoFilter: false, page: .portrait, isHidden: true)
        for index in 0..<(lists.map(\.values.count).max() ?? 0) {
            codes.addRow(lists.map { index < $0.values.count ? $0.values[index] : "" })
        }
        var listRanges: [String: String] = [:]
        for (column, list) in lists.enumerated() {
            listRanges[list.key] = XlsxReference.absoluteColumnRange(sheet: ImportLayout.codeSheetName, column: column,
                                                                      rows: 2...(list.values.count + 1))
        }
        for layout in ImportLayout.sheets {
            workbook.add(dataSheet(layout, listRanges: listRanges))
        }
        workbook.add(instructions())
        workbook.add(codes)
        return try workbook.xlsxData()
    }

    private static func dataSheet(_ layout: ImportLayout.Sheet, listRanges: [String: String]) -> XlsxSheet {
        var sheet = XlsxSheet(
            name: layout.name,
            columns: layout.columns.map { spec in
                XlsxColumn(ImportLayout.header(spec), width: width(spec), wrapsText: spec.kind == .deeds)
            },
            // Printed, a template of 30-odd columns runs over several landscape pages rather than shrinking
            // to an unreadable single one.
            hasAutoFilter: false, page: XlsxPageSetup(landscape: true, fitToWidth: false),
            subheader: layout.columns.map(\.key))
        let rows = sheet.firstDataRowNumber...(sheet.firstDataRowNumber + validatedRows - 1)
        for (index, spec) in layout.columns.enumerated() {
            let range = XlsxReference.columnRange(index, rows: rows)
            let list: String? = switch spec.kind {
            case .choice: listRanges[spec.key]
            case .yesNo: listRanges["yes_no"]
            default: nil
            }
            if let list {
                sheet.validations.append(XlsxDataValidation(range: range, rule: .listFromRange(list), prompt: spec.hint,
                                                            errorMessage: "请从下拉列表中选择\(spec.label)"))
            } else if spec.key == "id_number" {
                sheet.validations.append(XlsxDataValidation(range: range, rule: .textLength(18...18), prompt: spec.hint,
                                                            errorMessage: "身份证号应为18位"))
            }
        }
        return sheet
    }

    private static func width(_ spec: FieldSpec) -> Double {
        switch spec.kind {
        case .deeds: 60
        case .yesNo where spec.key != "frontline": 18
        default: max(SummaryWorkbook.width(of: spec.key), Double(ImportLayout.header(spec).count) * 1.8 + 2)
        }
    }

    /// What to type where: every column with its key, whether it is required and the form's hint.
    private static func instructions() -> XlsxSheet {
        var sheet = XlsxSheet(name: ImportLayout.instructionsSheetName,
                              columns: [XlsxColumn("工作表", width: 28), XlsxColumn("栏目", width: 30),
                                        XlsxColumn("字段代码", width: 22), XlsxColumn("必填", width: 6),
                                        XlsxColumn("填写要求", width: 60, wrapsText: true)],
                              title: "推荐对象导入模板填写说明", hasAutoFilter: false, page: .portrait)
        sheet.addRow(["全部", "—", "—", "—",
                      "从第3行起每行填写一个推荐对象；第1行是栏目名称，第2行是字段代码，请勿修改或删除。"
                      + "带 * 的栏目为必填。导入后每行成为本党委的一条草稿，照片和行业党委意见请在网页上补充后再上报。"
                      + "同一人重复导入不会重复建立。"])
        for layout in ImportLayout.sheets {
            for spec in layout.columns {
                sheet.addRow([layout.name, spec.label, spec.key, spec.required ? "是" : "",
                              hint(spec)])
            }
        }
        return sheet
    }

    private static func hint(_ spec: FieldSpec) -> String {
        switch spec.kind {
        case .choice, .yesNo: return [spec.hint, "从下拉列表中选择"].compactMap { $0 }.joined(separator: "；")
        case .deeds: return "1000字左右，可直接粘贴 Word 中的文字；段落换行会保留"
        default: return spec.hint ?? ""
        }
    }
}
