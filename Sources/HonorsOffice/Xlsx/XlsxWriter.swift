import Foundation

/// Writes a workbook's parts. Each sheet is built in one byte buffer with pre-encoded column letters,
/// so large exports stay linear in their size. Cells are inline strings: no shared-string table to
/// hold in memory, and every text cell reads back exactly as written.
struct XlsxWriter {
    let workbook: XlsxWorkbook

    /// Indexes into `cellXfs` of styles.xml.
    private enum Style {
        static let general = 0
        static let header = 1
        static let textBordered = 2
        static let textWrapped = 3
        static let generalBordered = 4
        static let generalWrapped = 5
        static let title = 6
        static let textColumn = 7
        static let wrapColumn = 8
    }

    /// Excel refuses cells longer than this many UTF-16 units.
    private static let maximumCellLength = 32_767

    func package() throws -> ZipPackage {
        var package = ZipPackage()
        try writeParts { package.add($0, $1) }
        return package
    }

    /// Hands each part to `sink` as soon as it is built, so a caller writing to a file never holds the
    /// XML of every sheet at once.
    func writeParts(_ sink: (String, Data) throws -> Void) throws {
        var sheets = workbook.sheets
        if sheets.isEmpty { sheets = [XlsxSheet(name: "Sheet1")] }
        // Excel needs a visible active sheet.
        if !sheets.contains(where: { !$0.isHidden }) { sheets[0].isHidden = false }
        let activeIndex = sheets.firstIndex { !$0.isHidden } ?? 0

        var types = ContentTypes()
        let sheetml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        types.addOverride(part: "/xl/workbook.xml", contentType: "\(sheetml).sheet.main+xml")
        types.addOverride(part: "/xl/styles.xml", contentType: "\(sheetml).styles+xml")
        for index in sheets.indices {
            types.addOverride(part: "/xl/worksheets/sheet\(index + 1).xml", contentType: "\(sheetml).worksheet+xml")
        }
        var root = Relationships()
        root.add(type: Relationships.officeDocument, target: "xl/workbook.xml")
        var workbookRelationships = Relationships()
        var relationshipIDs: [String] = []
        for index in sheets.indices {
            relationshipIDs.append(workbookRelationships.add(type: Relationships.worksheet,
                                                             target: "worksheets/sheet\(index + 1).xml"))
        }
        workbookRelationships.add(type: Relationships.styles, target: "styles.xml")

        try sink("[Content_Types].xml", types.xml)
        try sink("_rels/.rels", root.xml)
        try sink("xl/workbook.xml", workbookXML(sheets, relationshipIDs: relationshipIDs, activeIndex: activeIndex))
        try sink("xl/_rels/workbook.xml.rels", workbookRelationships.xml)
        try sink("xl/styles.xml", Self.stylesXML)
        for (index, sheet) in sheets.enumerated() {
            try sink("xl/worksheets/sheet\(index + 1).xml", try sheetXML(sheet, isActive: index == activeIndex))
        }
    }

    // MARK: Workbook

    private func workbookXML(_ sheets: [XlsxSheet], relationshipIDs: [String], activeIndex: Int) -> Data {
        var out = XMLBuffer()
        out.raw(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        out.raw("<bookViews><workbookView")
        out.attribute("activeTab", activeIndex)
        out.raw("/></bookViews><sheets>")
        for (index, sheet) in sheets.enumerated() {
            out.raw("<sheet")
            out.attribute("name", sheet.name)
            out.attribute("sheetId", index + 1)
            if sheet.isHidden { out.raw(#" state="hidden""#) }
            out.attribute("r:id", relationshipIDs[index])
            out.raw("/>")
        }
        out.raw("</sheets>")
        var names: [(name: String, sheet: Int, hidden: Bool, value: String)] = []
        for (index, sheet) in sheets.enumerated() {
            let quoted = XlsxReference.quotedSheetName(sheet.name)
            if let filter = filterRange(sheet) {
                let absolute = filter.split(separator: ":").map { absoluteCell(String($0)) }.joined(separator: ":")
                names.append(("_xlnm._FilterDatabase", index, true, "\(quoted)!\(absolute)"))
            }
            if sheet.page.repeatHeaderRow, let header = sheet.headerRowNumber, let last = sheet.lastHeaderRowNumber {
                names.append(("_xlnm.Print_Titles", index, false, "\(quoted)!$\(header):$\(last)"))
            }
        }
        if !names.isEmpty {
            out.raw("<definedNames>")
            for entry in names {
                out.raw("<definedName")
                out.attribute("name", entry.name)
                out.attribute("localSheetId", entry.sheet)
                if entry.hidden { out.raw(#" hidden="1""#) }
                out.raw(">")
                out.text(entry.value)
                out.raw("</definedName>")
            }
            out.raw("</definedNames>")
        }
        out.raw("</workbook>")
        return out.data
    }

    /// "A1" -> "$A$1".
    private func absoluteCell(_ reference: String) -> String {
        let letters = reference.prefix { $0.isLetter }
        return "$\(letters)$\(reference.dropFirst(letters.count))"
    }

    /// The autofilter range: header row through the last data row.
    private func filterRange(_ sheet: XlsxSheet) -> String? {
        guard sheet.hasAutoFilter, let header = sheet.headerRowNumber else { return nil }
        let lastColumn = XlsxReference.columnName(max(sheet.columnCount, 1) - 1)
        let lastRow = sheet.firstDataRowNumber - 1 + max(sheet.rows.count, 1)
        return "A\(header):\(lastColumn)\(lastRow)"
    }

    // MARK: Sheets

    private func sheetXML(_ sheet: XlsxSheet, isActive: Bool) throws -> Data {
        let columnCount = max(sheet.columnCount, 1)
        let letters = (0..<columnCount).map { Array(XlsxReference.columnName($0).utf8) }
        let estimatedCells = sheet.rows.count * columnCount
        var out = XMLBuffer(capacity: 2048 + estimatedCells * 40)

        out.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        if sheet.page.fitToWidth { out.raw(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#) }

        let headerRow = sheet.headerRowNumber
        let firstDataRow = sheet.firstDataRowNumber
        let lastRow = max(firstDataRow - 1 + sheet.rows.count, 1)
        out.raw("<dimension")
        out.attribute("ref", "A1:\(XlsxReference.columnName(columnCount - 1))\(lastRow)")
        out.raw("/><sheetViews><sheetView")
        if isActive { out.raw(#" tabSelected="1""#) }
        out.raw(#" workbookViewId="0">"#)
        if sheet.freezesHeader, let frozen = sheet.lastHeaderRowNumber {
            let topLeft = "A\(frozen + 1)"
            out.raw("<pane")
            out.attribute("ySplit", frozen)
            out.attribute("topLeftCell", topLeft)
            out.raw(#" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft""#)
            out.attribute("activeCell", topLeft)
            out.attribute("sqref", topLeft)
            out.raw("/>")
        }
        out.raw("</sheetView></sheetViews>")
        out.raw(#"<sheetFormatPr defaultRowHeight="15"/>"#)

        if !sheet.columns.isEmpty {
            out.raw("<cols>")
            for (index, column) in sheet.columns.enumerated() {
                out.raw("<col")
                out.attribute("min", index + 1)
                out.attribute("max", index + 1)
                out.attribute("width", Self.decimal(max(0.5, min(column.width, 255))))
                out.raw(#" customWidth="1""#)
                if column.isText || column.wrapsText {
                    out.attribute("style", column.isText ? Style.textColumn : Style.wrapColumn)
                }
                out.raw("/>")
            }
            out.raw("</cols>")
        }

        out.raw("<sheetData>")
        if let title = sheet.title {
            out.raw(#"<row r="1" ht="30" customHeight="1"><c r="A1""#)
            out.attribute("s", Style.title)
            out.raw(#" t="inlineStr"><is>"#)
            writeText(title, into: &out)
            out.raw("</is></c></row>")
        }
        if let headerRow {
            out.raw("<row")
            out.attribute("r", headerRow)
            out.raw(">")
            for (index, column) in sheet.columns.enumerated() {
                writeCell(.text(column.header), letters: letters[index], row: headerRow, style: Style.header, into: &out)
            }
            out.raw("</row>")
            if let subheader = sheet.subheader {
                out.raw("<row")
                out.attribute("r", headerRow + 1)
                out.raw(">")
                for (index, text) in subheader.prefix(columnCount).enumerated() {
                    writeCell(.text(text), letters: letters[index], row: headerRow + 1, style: Style.header, into: &out)
                }
                out.raw("</row>")
            }
        }
        let wrappedColumns = sheet.columns.indices.filter { sheet.columns[$0].wrapsText }
        for (offset, row) in sheet.rows.enumerated() {
            let rowNumber = firstDataRow + offset
            out.raw("<row")
            out.attribute("r", rowNumber)
            if let height = Self.wrappedHeight(row, columns: sheet.columns, wrapped: wrappedColumns) {
                out.attribute("ht", Self.decimal(height))
                out.raw(#" customHeight="1""#)
            }
            out.raw(">")
            let width = max(row.count, sheet.columns.count)
            for index in 0..<width {
                let cell = index < row.count ? row[index] : .empty
                let column = index < sheet.columns.count ? sheet.columns[index] : nil
                let style: Int
                switch (cell, column?.isText ?? false, column?.wrapsText ?? false) {
                case (.number, _, let wraps): style = wraps ? Style.generalWrapped : Style.generalBordered
                case (_, true, let wraps): style = wraps ? Style.textWrapped : Style.textBordered
                case (_, false, let wraps): style = wraps ? Style.generalWrapped : Style.generalBordered
                }
                writeCell(cell, letters: letters[index], row: rowNumber, style: style, into: &out)
            }
            out.raw("</row>")
        }
        out.raw("</sheetData>")

        if let filter = filterRange(sheet) {
            out.raw("<autoFilter")
            out.attribute("ref", filter)
            out.raw("/>")
        }
        if sheet.title != nil {
            out.raw(#"<mergeCells count="1"><mergeCell"#)
            out.attribute("ref", "A1:\(XlsxReference.columnName(columnCount - 1))1")
            out.raw("/></mergeCells>")
        }
        if !sheet.validations.isEmpty {
            out.raw("<dataValidations")
            out.attribute("count", sheet.validations.count)
            out.raw(">")
            for validation in sheet.validations { try write(validation, into: &out) }
            out.raw("</dataValidations>")
        }
        out.raw(#"<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#)
        out.raw(#"<pageSetup paperSize="9""#)
        out.raw(sheet.page.landscape ? #" orientation="landscape""# : #" orientation="portrait""#)
        if sheet.page.fitToWidth { out.raw(#" fitToWidth="1" fitToHeight="0""#) }
        out.raw("/>")
        if sheet.page.pageNumbersInFooter {
            out.raw("<headerFooter><oddFooter>")
            out.text("&C第 &P 页，共 &N 页")
            out.raw("</oddFooter></headerFooter>")
        }
        out.raw("</worksheet>")
        return out.data
    }

    /// Points of one line of the default 11-point font, and Excel's tallest row.
    private static let lineHeight = 14.5
    private static let maximumRowHeight = 409.0

    /// The height a row needs to show its wrapped cells whole. Spreadsheet programs do not reliably fit rows
    /// to wrapped text when they open a file (LibreOffice does not by default), so the writer estimates it:
    /// a CJK or full-width character takes two width units, others one. Nil when the row has no wrapped
    /// text longer than one line.
    static func wrappedHeight(_ row: [XlsxCell], columns: [XlsxColumn], wrapped: [Int]) -> Double? {
        var lines = 1
        for index in wrapped where index < row.count {
            guard case .text(let text) = row[index], !text.isEmpty else { continue }
            let perLine = max(1, Int(columns[index].width) - 1)
            // One pass over the scalars (a 主要事迹 is read for every row): lines end at "\n".
            var count = 0
            var units = 0
            for scalar in text.unicodeScalars {
                if scalar == "\n" {
                    count += max(1, (units + perLine - 1) / perLine)
                    units = 0
                } else {
                    units += scalar.value >= 0x1100 ? 2 : 1
                }
            }
            count += max(1, (units + perLine - 1) / perLine)
            lines = max(lines, count)
        }
        return lines > 1 ? min(maximumRowHeight, Double(lines) * lineHeight) : nil
    }

    private func writeCell(_ cell: XlsxCell, letters: [UInt8], row: Int, style: Int, into out: inout XMLBuffer) {
        out.raw(#"<c r=""#)
        out.append(letters)
        out.integer(row)
        out.raw(#"" s=""#)
        out.integer(style)
        switch cell {
        case .text(let text):
            out.raw(#"" t="inlineStr"><is>"#)
            writeText(text, into: &out)
            out.raw("</is></c>")
        case .number(let value) where value.isFinite:
            out.raw(#""><v>"#)
            out.raw(Self.decimal(value))
            out.raw("</v></c>")
        case .number, .empty:
            out.raw(#""/>"#)
        }
    }

    private func writeText(_ text: String, into out: inout XMLBuffer) {
        var text = text
        if text.utf8.count > Self.maximumCellLength, text.utf16.count > Self.maximumCellLength {
            text = String(text.utf16.prefix(Self.maximumCellLength)) ?? String(text.prefix(Self.maximumCellLength / 2))
        }
        out.raw(XMLText.needsPreserve(text) ? #"<t xml:space="preserve">"# : "<t>")
        out.text(text)
        out.raw("</t>")
    }

    /// Numbers as Excel writes them: integers without a fraction, others in shortest round-trip form.
    static func decimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    private func write(_ validation: XlsxDataValidation, into out: inout XMLBuffer) throws {
        out.raw("<dataValidation")
        var formula1: String
        var formula2: String?
        switch validation.rule {
        case .list(let items):
            if let bad = items.first(where: { $0.contains(",") || $0.contains("\"") }) {
                throw OfficeError.invalidValidation("list item \(bad) contains a comma or quote; use a range")
            }
            let joined = items.joined(separator: ",")
            guard !items.isEmpty, joined.utf16.count <= 255 else {
                throw OfficeError.invalidValidation(
                    "an explicit list must have 1 to 255 characters; put long lists on a sheet and use a range")
            }
            formula1 = "\"\(joined)\""
            out.raw(#" type="list""#)
        case .listFromRange(let range):
            formula1 = range
            out.raw(#" type="list""#)
        case .textLength(let bounds):
            formula1 = String(bounds.lowerBound)
            formula2 = String(bounds.upperBound)
            out.raw(#" type="textLength" operator="between""#)
        case .wholeNumber(let bounds):
            formula1 = String(bounds.lowerBound)
            formula2 = String(bounds.upperBound)
            out.raw(#" type="whole" operator="between""#)
        }
        if validation.allowsBlank { out.raw(#" allowBlank="1""#) }
        out.raw(#" showInputMessage="1" showErrorMessage="1""#)
        if let error = validation.errorMessage {
            out.attribute("errorTitle", "输入有误")
            out.attribute("error", String(error.prefix(225)))
        }
        if let prompt = validation.prompt {
            out.attribute("promptTitle", "填写说明")
            out.attribute("prompt", String(prompt.prefix(255)))
        }
        out.attribute("sqref", validation.range)
        out.raw("><formula1>")
        out.text(formula1)
        out.raw("</formula1>")
        if let formula2 {
            out.raw("<formula2>")
            out.text(formula2)
            out.raw("</formula2>")
        }
        out.raw("</dataValidation>")
    }

    // MARK: Styles

    private static let stylesXML: Data = {
        var out = XMLBuffer()
        let thin = #"<left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>"#
            + #"<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/>"#
        out.raw(#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<fonts count="3">"#
            + #"<font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
            + #"<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
            + #"<font><b/><sz val="16"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
            + #"</fonts><fills count="3"><fill><patternFill patternType="none"/></fill>"#
            + #"<fill><patternFill patternType="gray125"/></fill>"#
            + #"<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>"#
            + #"</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#
            + "<border>\(thin)</border></borders>"
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="9">"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
            + #"<xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>"#
            + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>"#
            + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
            + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>"#
            + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf>"#
            + #"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
            + #"<dxfs count="0"/><tableStyles count="0"/></styleSheet>"#)
        return out.data
    }()
}
