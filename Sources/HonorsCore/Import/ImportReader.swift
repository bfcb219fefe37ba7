import Foundation

/// One sheet of an uploaded workbook, as HonorsOffice reads it.
public struct ImportSheet: Sendable {
    public let name: String
    public let isHidden: Bool
    /// Rows by position (row 1 is index 0), cells as text.
    public let rows: [[String]]

    public init(name: String, isHidden: Bool, rows: [[String]]) {
        self.name = name
        self.isHidden = isHidden
        self.rows = rows
    }
}

/// One data row of an upload, turned into what the web form would have sent.
public struct ImportedRow: Sendable {
    /// Where the row is, as Excel shows it.
    public let sheet: String
    public let rowNumber: Int
    /// Nil when the row names no category Honors knows; `issues` then says why.
    public let input: NominationInput?
    /// Problems of reading the row (a number where text belongs, a category missing); the rules of the
    /// form come on top of these.
    public let issues: [FieldIssue]
    /// The zero-based column of every key on the row's sheet, so results can name "C列".
    public let columns: [String: Int]
}

/// The readable part of an upload, or why nothing could be read.
public struct ImportReading: Sendable {
    public var rows: [ImportedRow] = []
    /// Problems of the file as a whole: when set, no row is imported.
    public var problems: [String] = []
}

/// Turns uploaded sheets into nomination inputs. Only the shape of the spreadsheet is dealt with here: the
/// values go through `NominationRules.check` afterwards, as if they had been typed into the form.
public enum ImportReader {
    public static func read(_ sheets: [ImportSheet]) -> ImportReading {
        var reading = ImportReading()
        var foundHeader = false
        // The template's own code and instruction sheets hold keys too: never rows, even when unhidden.
        for sheet in sheets where !sheet.isHidden && !ImportLayout.helperSheetNames.contains(sheet.name) {
            guard let header = headerRow(sheet.rows) else { continue }
            foundHeader = true
            let columns = columnKeys(sheet.rows[header])
            if let duplicate = columns.duplicate {
                reading.problems.append("工作表“\(sheet.name)”中字段 \(duplicate) 出现了两次，请删去多余的一列后重新导入。")
                continue
            }
            for index in (header + 1)..<max(sheet.rows.count, header + 1) {
                let cells = sheet.rows[index]
                guard !isBlank(cells, keys: columns.byIndex) else { continue }
                reading.rows.append(row(cells, number: index + 1, sheet: sheet.name, keys: columns.byIndex))
            }
        }
        if !foundHeader {
            reading.problems.append("没有找到导入模板的表头。请使用本页“下载导入模板”得到的文件填写，第2行的字段代码不要修改或删除。")
        } else if reading.rows.count > ImportLayout.maximumRows {
            reading.problems.append("一次最多导入\(ImportLayout.maximumRows)行，此文件有\(reading.rows.count)行，请分成几个文件导入。")
        } else if reading.rows.isEmpty && reading.problems.isEmpty {
            reading.problems.append("文件中没有填写任何推荐对象：请从每个工作表的第3行起填写。")
        }
        if !reading.problems.isEmpty { reading.rows = [] }
        return reading
    }

    // MARK: Shape

    /// The key row: within the first rows, the one with at least two keys of fields.md.
    static func headerRow(_ rows: [[String]]) -> Int? {
        rows.prefix(5).firstIndex { cells in cells.filter { ImportLayout.knownKeys.contains(key($0)) }.count >= 2 }
    }

    static func key(_ cell: String) -> String { TextInput.line(cell).lowercased() }

    static func columnKeys(_ cells: [String]) -> (byIndex: [Int: String], duplicate: String?) {
        var byIndex: [Int: String] = [:]
        var seen: Set<String> = []
        for (index, cell) in cells.enumerated() {
            let key = key(cell)
            guard ImportLayout.knownKeys.contains(key) else { continue }
            if !seen.insert(key).inserted { return (byIndex, key) }
            byIndex[index] = key
        }
        return (byIndex, nil)
    }

    static func isBlank(_ cells: [String], keys: [Int: String]) -> Bool {
        keys.allSatisfy { index, key in
            key == ImportLayout.categoryKey || index >= cells.count || TextInput.line(cells[index]).isEmpty
        }
    }

    // MARK: Rows

    static func row(_ cells: [String], number: Int, sheet: String, keys: [Int: String]) -> ImportedRow {
        var raw: [String: String] = [:]
        var columns: [String: Int] = [:]
        for (index, key) in keys {
            columns[key] = index
            if index < cells.count { raw[key] = cells[index] }
        }
        var issues: [FieldIssue] = []
        guard let category = category(raw, keys: Set(keys.values), issues: &issues) else {
            return ImportedRow(sheet: sheet, rowNumber: number, input: nil, issues: issues, columns: columns)
        }
        let specs = NominationForm.fields(for: category)
        var values: [String: String] = [:]
        for spec in specs {
            guard let text = raw[spec.key] else { continue }
            values[spec.key] = spreadsheetValue(text, spec: spec, issues: &issues)
        }
        for key in ImportLayout.workerOnlyKeys where category == .member && !TextInput.line(raw[key] ?? "").isEmpty {
            issues.append(.warning(key, "优秀共产党员不填“\(NominationForm.label(of: key))”，此格未导入"))
        }
        var attestations: Set<String> = []
        if category.isPerson {
            for item in NominationForm.attestations {
                let spec = FieldSpec(key: item.key, label: item.statement, kind: .yesNo, required: true)
                let (value, issue) = NominationRules.clean(raw[item.key] ?? "", spec: spec)
                if let issue { issues.append(issue) }
                if value == "yes" { attestations.insert(item.key) }
            }
        }
        return ImportedRow(sheet: sheet, rowNumber: number,
                           input: NominationInput(category: category, values: values, attestations: attestations),
                           issues: issues, columns: columns)
    }

    static func category(_ raw: [String: String], keys: Set<String>, issues: inout [FieldIssue]) -> NominationCategory? {
        guard keys.contains(ImportLayout.categoryKey) else {
            // The organisations' sheet has no 类别 column: its own columns say what it holds.
            if keys.contains("org_name") && !keys.contains("name") { return .org }
            issues.append(.error(ImportLayout.categoryKey, "表中缺少“推荐类别”列"))
            return nil
        }
        let text = TextInput.line(raw[ImportLayout.categoryKey] ?? "")
        if text.isEmpty {
            if keys.contains("org_name") && !keys.contains("name") { return .org }
            issues.append(.error(ImportLayout.categoryKey, "请选择推荐类别：优秀共产党员或优秀党务工作者"))
            return nil
        }
        guard let category = NominationCategory.allCases.first(where: { $0.label == text || $0.rawValue == text.lowercased() }) else {
            issues.append(.error(ImportLayout.categoryKey, "推荐类别“\(NominationRules.preview(text))”应为优秀共产党员、优秀党务工作者或先进基层党组织"))
            return nil
        }
        let onPeopleSheet = keys.contains("name")
        if onPeopleSheet != category.isPerson {
            let sheet = category.isPerson ? ImportLayout.people.name : ImportLayout.organisations.name
            issues.append(.error(ImportLayout.categoryKey, "\(category.label)请填在“\(sheet)”工作表中"))
            return nil
        }
        return category
    }

    /// Undoes what Excel does to typed values: dates kept as day serials, long numbers in exponent form.
    static func spreadsheetValue(_ text: String, spec: FieldSpec, issues: inout [FieldIssue]) -> String {
        let trimmed = TextInput.line(text)
        switch spec.kind {
        case .month:
            // A month typed into a date cell comes back as its first day: the day was never typed.
            if let day = ExcelSerialDate.day(trimmed) { return MonthValue(day).description }
        case .day:
            if let day = ExcelSerialDate.day(trimmed) { return day.description }
        default:
            if spec.key == "id_number", trimmed.uppercased().contains("E+") {
                issues.append(.error(spec.key, "身份证号被 Excel 存成了数字（\(trimmed)），后几位已经丢失。请把此列设为“文本”格式后重新输入号码"))
                return ""
            }
        }
        return text
    }
}
