import Foundation
import Testing
@testable import HonorsOffice

@Suite("XLSX writing and reading back")
struct XlsxTests {
    static let idNumber = "15060219900101123X"
    static let longIDNumber = "150602199001011234"

    static func workbook() throws -> XlsxWorkbook {
        var workbook = XlsxWorkbook()
        var summary = XlsxSheet(name: "汇总", columns: [
            XlsxColumn("序号", width: 6, isText: false),
            XlsxColumn("姓名", width: 10),
            XlsxColumn("身份证号", width: 22),
            XlsxColumn("联系电话", width: 14),
            XlsxColumn("主要事迹", width: 40, wrapsText: true),
        ])
        summary.addRow([.integer(1), "张𠮷", .text(longIDNumber), "13800138000", " 前导空格 & <标记>\n第二行"])
        summary.addRow([.integer(2), "李\u{0002}四 👍", .text(idNumber), "0477-8588888", ""])
        let summaryName = workbook.add(summary)

        let codes = XlsxSheet(name: "代码表", columns: [XlsxColumn("性别"), XlsxColumn("学历")],
                              rows: [["男", "研究生"], ["女", "大学"], ["", "大专"]], isHidden: true)
        let codesName = workbook.add(codes)

        var template = XlsxSheet(name: "导入模板", columns: [XlsxColumn("姓名"), XlsxColumn("性别"),
                                                             XlsxColumn("学历"), XlsxColumn("身份证号")],
                                 title: "优秀共产党员推荐导入模板")
        template.validations = [
            XlsxDataValidation(range: XlsxReference.columnRange(1, rows: 3...500), rule: .list(["男", "女"]),
                               prompt: "从下拉列表选择", errorMessage: "只能填男或女"),
            XlsxDataValidation(range: XlsxReference.columnRange(2, rows: 3...500),
                               rule: .listFromRange(XlsxReference.absoluteColumnRange(sheet: codesName, column: 1,
                                                                                      rows: 2...4))),
            XlsxDataValidation(range: "D3:D500", rule: .textLength(18...18), errorMessage: "身份证号为18位"),
        ]
        workbook.add(template)
        #expect(summaryName == "汇总")
        return workbook
    }

    @Test("three sheets reopen with text IDs, frozen header, filter, print setup and dropdowns")
    func roundTrip() throws {
        let contents = try XlsxReader.read(try Self.workbook().xlsxData())
        #expect(contents.sheets.map(\.name) == ["汇总", "代码表", "导入模板"])
        #expect(contents.sheets.map(\.isHidden) == [false, true, false])
        #expect(try Fixture.parseAllXMLParts(contents.package) == 8)

        let summary = try #require(contents["汇总"])
        #expect(summary.rows.count == 3)
        #expect(summary.rows[0] == ["序号", "姓名", "身份证号", "联系电话", "主要事迹"])
        #expect(summary.rows[1] == ["1", "张𠮷", Self.longIDNumber, "13800138000", " 前导空格 & <标记>\n第二行"])
        #expect(summary.rows[2] == ["2", "李四 👍", Self.idNumber, "0477-8588888"])

        let xml = try #require(contents.sheetXML("汇总"))
        // The ID and phone are string cells; only the sequence number is numeric.
        #expect(xml.contains(#"<c r="C2" s="2" t="inlineStr"><is><t>150602199001011234</t></is></c>"#))
        #expect(xml.contains(#"<c r="A2" s="4"><v>1</v></c>"#))
        #expect(xml.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(xml.contains(#"<autoFilter ref="A1:E3"/>"#))
        #expect(xml.contains(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#))
        #expect(xml.contains(#"orientation="landscape" fitToWidth="1" fitToHeight="0""#))
        #expect(xml.contains(#"<col min="3" max="3" width="22" customWidth="1" style="7"/>"#))
        #expect(xml.contains(#"<t xml:space="preserve"> 前导空格 &amp; &lt;标记&gt;"#))
        #expect(!xml.contains("\u{0002}"))

        let template = try #require(contents.sheetXML("导入模板"))
        #expect(template.contains(#"<pane ySplit="2" topLeftCell="A3""#))
        #expect(template.contains(#"<mergeCell ref="A1:D1"/>"#))
        #expect(template.contains(#"type="list""#))
        #expect(template.contains(#"sqref="B3:B500"><formula1>&quot;男,女&quot;</formula1>"#))
        #expect(template.contains(#"<formula1>&apos;代码表&apos;!$B$2:$B$4</formula1>"#))
        #expect(template.contains(#"type="textLength" operator="between""#))
        #expect(contents["导入模板"]?.rows.first == ["优秀共产党员推荐导入模板"])

        let workbookXML = Fixture.string(contents.package, "xl/workbook.xml")
        #expect(workbookXML.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;汇总&apos;!$A$1:$E$3</definedName>"#))
        #expect(workbookXML.contains(#"name="代码表" sheetId="2" state="hidden""#))
        let types = Fixture.string(contents.package, "[Content_Types].xml")
        #expect(Fixture.occurrences(of: "worksheet+xml", in: types) == 3)
        #expect(Fixture.string(contents.package, "xl/styles.xml").contains("<b/>"))
    }

    @Test("an explicit list longer than Excel allows is refused")
    func longListRejected() {
        var workbook = XlsxWorkbook()
        let items = (1...100).map { "选项\($0)" }
        workbook.add(XlsxSheet(name: "S", columns: [XlsxColumn("A")],
                               validations: [XlsxDataValidation(range: "A2:A9", rule: .list(items))]))
        #expect(throws: OfficeError.self) { try workbook.xlsxData() }
    }

    @Test("a Word document renamed to .xlsx is refused as not a workbook")
    func wordIsNotAWorkbook() throws {
        let docx = try DocxDocument(body: [.paragraph(DocxParagraph("推荐名单"))]).docxData()
        #expect(throws: OfficeError.missingPart("xl/workbook.xml")) { try XlsxReader.read(docx) }
    }

    @Test("shared strings, rich text and phonetic runs from other tools are read")
    func readsSharedStrings() throws {
        var package = ZipPackage()
        package.add("_rels/.rels", Data(#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#.utf8))
        package.add("xl/workbook.xml", Data(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8))
        package.add("xl/_rels/workbook.xml.rels", Data(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.utf8))
        package.add("xl/sharedStrings.xml", Data(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb="0" eb="1"><t>ちょう</t></rPh></si></sst>"#.utf8))
        package.add("xl/worksheets/sheet1.xml", Data(#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1"><x:v>1.50602199001011E+17</x:v></x:c></x:row><x:row r="3"><x:c r="B3" t="s"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>"#.utf8))
        let contents = try XlsxReader.read(try package.archived())
        #expect(contents.sheets.first?.rows == [["姓名", "", "1.50602199001011E+17"], [], ["", "张三"]])
    }

    @Test("10,000 rows × 30 columns are written and read back")
    func largeSheet() throws {
        var sheet = XlsxSheet(name: "大表", columns: (0..<30).map { XlsxColumn("列\($0 + 1)") })
        sheet.rows.reserveCapacity(10_000)
        for row in 0..<10_000 {
            sheet.addRow((0..<30).map { column in column == 0 ? "1506021990\(String(format: "%08d", row))" : "行\(row)列\(column)" })
        }
        let workbook = XlsxWorkbook(sheets: [sheet])
        let data = try workbook.xlsxData()
        let contents = try XlsxReader.read(data)
        let rows = try #require(contents.sheets.first?.rows)
        #expect(rows.count == 10_001)
        #expect(rows[10_000][0] == "150602199000009999")
        #expect(rows[5_000][29] == "行4999列29")
        #expect(contents.sheetXML("大表")?.contains(#"<autoFilter ref="A1:AD10001"/>"#) == true)
    }

    @Test("a row with long wrapped text is made tall enough to show it, capped at Excel's 409 points")
    func wrappedRowHeight() throws {
        let columns = [XlsxColumn("姓名", width: 10), XlsxColumn("主要事迹", width: 41, wrapsText: true)]
        var sheet = XlsxSheet(name: "汇总", columns: columns, hasAutoFilter: false)
        sheet.addRow(["张伟", String(repeating: "事", count: 100)])   // 200 units over 40 a line: 5 lines
        sheet.addRow(["李娜", "短"])
        sheet.addRow(["王芳", String(repeating: "迹", count: 5000)])
        sheet.addRow(["赵敏", "第一行\n第二行\n第三行"])
        let xml = try #require(try XlsxReader.read(XlsxWorkbook(sheets: [sheet]).xlsxData()).sheetXML("汇总"))
        #expect(xml.contains(#"<row r="2" ht="72.5" customHeight="1">"#), "five lines of 14.5 points")
        #expect(xml.contains(#"<row r="3">"#), "one line keeps the default height")
        #expect(xml.contains(#"<row r="4" ht="409" customHeight="1">"#))
        #expect(xml.contains(#"<row r="5" ht="43.5" customHeight="1">"#), "line breaks count")
    }

    /// A valid one-sheet workbook whose sheet XML is replaced by `sheetData`, as a hostile upload would.
    static func crafted(_ sheetData: String) throws -> Data {
        var package = try ZipPackage.read(try XlsxWorkbook(sheets: [XlsxSheet(name: "S")]).xlsxData())
        package.add("xl/worksheets/sheet1.xml", Data((#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + sheetData + "</sheetData></worksheet>").utf8))
        return try package.archived()
    }

    @Test("hostile cell references are refused, not trusted", arguments: [
        #"<row r="0"><c r="A0" t="inlineStr"><is><t>x</t></is></c></row>"#,
        #"<row r="2000000000"><c t="inlineStr"><is><t>x</t></is></c></row>"#,
        #"<row r="1"><c r="AAAAAAAAAAAAAAAAAAAA1" t="inlineStr"><is><t>x</t></is></c></row>"#,
        #"<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>"#,
        #"<row r="1"><c r="A1" t="s"><v>-5</v></c></row><row r="1048577"/>"#,
    ])
    func hostileReferences(_ sheetData: String) throws {
        #expect(throws: OfficeError.self) { _ = try XlsxReader.read(try Self.crafted(sheetData)) }
    }

    @Test("the last cell Excel has is read where it belongs, and a sheet past the cell budget is refused")
    func farCells() throws {
        let far = try XlsxReader.read(try Self.crafted(#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末</t></is></c></row>"#))
        let rows = try #require(far.sheets.first).rows
        #expect(rows.count == 1_048_576 && rows.last?.count == 16_384 && rows.last?.last == "末")
        let wide = (1...300).map { #"<row r="\#($0)"><c r="XFD\#($0)" t="inlineStr"><is><t>x</t></is></c></row>"# }.joined()
        #expect(throws: OfficeError.self) { _ = try XlsxReader.read(try Self.crafted(wide)) }
    }

    @Test("column letters and references")
    func references() {
        #expect(XlsxReference.columnName(0) == "A")
        #expect(XlsxReference.columnName(25) == "Z")
        #expect(XlsxReference.columnName(26) == "AA")
        #expect(XlsxReference.columnName(29) == "AD")
        #expect(XlsxReference.columnName(16_383) == "XFD")
        #expect(XlsxReference.columnIndex("XFD") == 16_383)
        #expect(XlsxReference.columnIndex("ad") == 29)
        #expect(XlsxReference.quotedSheetName("O'Brien") == "'O''Brien'")
    }
}

@Suite("Sheet names")
struct SheetNameTests {
    @Test("forbidden characters are replaced and names are cut to 31 characters")
    func sanitises() {
        #expect(XlsxSheetName.sanitized("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h")
        #expect(XlsxSheetName.sanitized("'引号'") == "引号")
        #expect(XlsxSheetName.sanitized("") == "Sheet")
        #expect(XlsxSheetName.sanitized("  ") == "Sheet")
        #expect(XlsxSheetName.sanitized("History") == "History_")
        let long = String(repeating: "市个体私营经济组织党委", count: 4)
        #expect(XlsxSheetName.sanitized(long).count == 31)
        let emoji = String(repeating: "a", count: 30) + "👍"
        #expect(XlsxSheetName.sanitized(emoji) == String(repeating: "a", count: 30))
    }

    @Test("duplicates get a numbered suffix within the limit, case-insensitively")
    func unique() {
        #expect(XlsxSheetName.sanitized("汇总", avoiding: ["汇总"]) == "汇总 (2)")
        #expect(XlsxSheetName.sanitized("Data", avoiding: ["data", "Data (2)"]) == "Data (3)")
        let long = String(repeating: "党", count: 40)
        let first = XlsxSheetName.sanitized(long)
        let second = XlsxSheetName.sanitized(long, avoiding: [first])
        #expect(second.utf16.count <= 31 && second.hasSuffix(" (2)") && second != first)

        var workbook = XlsxWorkbook()
        #expect(workbook.add(XlsxSheet(name: "互联网/快递")) == "互联网_快递")
        #expect(workbook.add(XlsxSheet(name: "互联网:快递")) == "互联网_快递 (2)")
        #expect(workbook.sheets.map(\.name) == ["互联网_快递", "互联网_快递 (2)"])
    }
}
