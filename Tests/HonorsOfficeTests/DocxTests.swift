import Foundation
import Testing
@testable import HonorsOffice

/// A form shaped like 附件3 (优秀共产党员推荐和审批表), built only from the generic builders.
enum SampleForm {
    static let title = "优秀共产党员推荐和审批表"
    static let name = "张𠮷\u{0001}"           // control character must vanish
    static let nativePlace = "内蒙古𬌗县 👍"
    static let idNumber = "150602199001011234"
    static let résumé = "2010—2014 大学\n2014— 工作\u{000B}至今"

    static func document() throws -> DocxDocument {
        var document = DocxDocument(title: title)
        document.add(DocxParagraph(title, format: DocxTextFormat(font: "方正小标宋简体", halfPoints: 44, bold: true),
                                   alignment: .center, spacing: DocxSpacing(afterTwips: 240)))
        document.add(DocxParagraph("推荐党支部：  第一党支部  ", format: DocxTextFormat(halfPoints: 28)))
        let label = DocxTextFormat(font: "黑体", halfPoints: 24)
        func cell(_ text: String, span: Int = 1) -> DocxTableCell {
            DocxTableCell(text, format: label, alignment: .center, columnSpan: span)
        }
        let photo = try DocxImage(data: Fixture.png, widthEMU: DocxImage.emu(centimeters: 3.5),
                                  heightEMU: DocxImage.emu(centimeters: 4.9), description: "照片")
        var table = DocxTable(columnWidths: [1300, 1200, 1000, 1200, 1100, 1200, 1700])
        let rowHeight = DocxRowHeight.atLeast(twips: 600)
        table.addRow([cell("姓 名"), cell(name), cell("性 别"), cell("男"), cell("民 族"), cell("汉族"),
                      DocxTableCell(paragraphs: [DocxParagraph(runs: [.image(photo)], alignment: .center)],
                                    verticalMerge: .restart)], height: rowHeight)
        table.addRow([cell("出生年月"), cell("1990.01"), cell("籍 贯"), cell(nativePlace), cell("参加工\n作时间"),
                      cell("2014.07"), .mergedBelow()], height: rowHeight)
        table.addRow([cell("入党时间"), cell("2012.06"), cell("文化程度"), cell("大学"), cell("职 称"), cell("无"),
                      .mergedBelow()], height: rowHeight)
        table.addRow([cell("工作单位及职务"), cell("某某物流有限公司 党支部书记", span: 5), .mergedBelow()], height: rowHeight)
        table.addRow([cell("身份证号"), cell(idNumber, span: 3), cell("联系电话"), cell("13800138000", span: 2)],
                     height: rowHeight)
        table.addRow([cell("个 人\n简 历"),
                      DocxTableCell(paragraphs: [DocxParagraph(résumé, alignment: .left)], columnSpan: 6,
                                    verticalAlignment: .top)],
                     height: .atLeast(twips: 1800))
        var story = DocxTableCell(paragraphs: [DocxParagraph("主要事迹", format: label, alignment: .center)],
                                  verticalMerge: .restart)
        story.textDirection = .verticalEastAsian
        table.addRow([story, DocxTableCell(paragraphs: [
            DocxParagraph("  该同志爱岗敬业 <模范> & “带头”。", indentation: .chineseFirstLine),
        ], columnSpan: 6, verticalAlignment: .top)], height: .exact(twips: 2400))
        table.addRow([.mergedBelow(), DocxTableCell(columnSpan: 6)], height: .exact(twips: 1200))
        table.addRow([cell("行业党委\n意见"), DocxTableCell(paragraphs: [
            DocxParagraph("行业党委书记签字：", alignment: .center),
            DocxParagraph("（盖章）", alignment: .right),
            DocxParagraph("年　　月　　日", alignment: .right),
        ], columnSpan: 6, verticalAlignment: .bottom)], height: .exact(twips: 2000), cantSplit: true)
        document.add(table)
        document.footer = [DocxParagraph(runs: [
            DocxRun("由 Honors 生成 第 ", format: DocxTextFormat(halfPoints: 18)),
            DocxRun(content: .field(.pageNumber), format: DocxTextFormat(halfPoints: 18)),
            DocxRun(" 页", format: DocxTextFormat(halfPoints: 18)),
        ], alignment: .center)]
        return document
    }
}

@Suite("DOCX writing and reading back")
struct DocxTests {
    @Test("a form with merged cells, an image and rare characters reopens intact")
    func formRoundTrip() throws {
        let data = try SampleForm.document().docxData()
        let contents = try DocxReader.read(data)
        let package = contents.package

        for path in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                     "word/settings.xml", "word/_rels/document.xml.rels", "word/footer1.xml",
                     "word/media/image1.png", "docProps/core.xml"] {
            #expect(package[path] != nil, "missing \(path)")
        }
        #expect(package.paths.first == "[Content_Types].xml")
        #expect(try Fixture.parseAllXMLParts(package) >= 8)

        let table = try #require(contents.tables.first)
        #expect(table.count == 9)
        #expect(table[0][1].text == "张𠮷")
        #expect(table[1][3].text == SampleForm.nativePlace)
        #expect(table[1][4].text == "参加工\n作时间")
        #expect(table[4][1].text == SampleForm.idNumber)
        #expect(table[4][1].gridSpan == 3)
        #expect(table[3][1].gridSpan == 5)
        #expect(table[5][1].text == "2010—2014 大学\n2014— 工作\n至今")

        // Photo column: restart in row 1, continued in rows 2–4.
        #expect(table[0][6].verticalMerge == "restart")
        #expect(table[1][6].verticalMerge == "continue")
        #expect(table[2][6].verticalMerge == "continue")
        #expect(table[3][2].verticalMerge == "continue")
        #expect(table[6][0].verticalMerge == "restart")
        #expect(table[7][0].verticalMerge == "continue")

        // Every row covers the 7-column grid and every cell holds a paragraph.
        for row in table { #expect(row.reduce(0) { $0 + $1.gridSpan } == 7) }
        #expect(table.joined().allSatisfy { $0.paragraphCount >= 1 })
        let xml = contents.documentXML
        #expect(Fixture.occurrences(of: "<w:tc>", in: xml) == table.joined().count)
        #expect(Fixture.occurrences(of: "<w:tc>", in: xml) == Fixture.occurrences(of: "</w:tc>", in: xml))

        // The body never ends with a table.
        #expect(contents.bodyElements.last == "sectPr")
        #expect(contents.bodyElements.dropLast().last == "p")

        // Text safety in the written XML.
        #expect(!xml.contains("\u{0001}") && !xml.contains("\u{000B}"))
        #expect(xml.contains("&lt;模范&gt; &amp; “带头”"))
        #expect(xml.contains(#"<w:t xml:space="preserve">  该同志"#))
        #expect(xml.contains(#"<w:t xml:space="preserve">推荐党支部：  第一党支部  </w:t>"#))
        #expect(xml.contains("<w:br/>"))
        #expect(xml.contains(#"w:eastAsia="方正小标宋简体""#) && xml.contains(#"w:ascii="方正小标宋简体""#))
        #expect(xml.contains(#"<w:sz w:val="44"/>"#) && xml.contains("<w:b/>"))
        #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#))
        #expect(xml.contains(#"<w:tblLayout w:type="fixed"/>"#))
        #expect(xml.contains(#"<w:trHeight w:val="2400" w:hRule="exact"/>"#))
        #expect(xml.contains(#"<w:trHeight w:val="600" w:hRule="atLeast"/>"#))
        #expect(xml.contains(#"<w:textDirection w:val="tbRlV"/>"#))
        #expect(xml.contains(#"<w:footerReference w:type="default" r:id="rId3"/>"#))
        #expect(contents.paragraphs.first == SampleForm.title)

        // The image: relationship, content type, unique drawing ids.
        let rels = Fixture.string(package, "word/_rels/document.xml.rels")
        #expect(rels.contains(#"Target="media/image1.png""#))
        #expect(xml.contains(#"r:embed="rId4""#))
        #expect(Fixture.string(package, "[Content_Types].xml").contains(#"<Default Extension="png" ContentType="image/png"/>"#))
        #expect(xml.contains(#"<wp:extent cx="1260000" cy="1764000"/>"#))

        let footer = Fixture.string(package, "word/footer1.xml")
        #expect(footer.contains("由 Honors 生成") && footer.contains(" PAGE "))
        #expect(Fixture.string(package, "word/styles.xml").contains(#"w:eastAsia="zh-CN""#))
    }

    @Test("drawing ids are unique and identical images share one media file")
    func imageIdentifiers() throws {
        let image = try DocxImage(data: Fixture.png, widthEMU: 360_000, heightEMU: 360_000)
        var document = DocxDocument()
        document.add(DocxParagraph(runs: [.image(image), .image(image)]))
        document.addPageBreak()
        document.add(DocxParagraph(runs: [.image(image)]))
        document.footer = [DocxParagraph(runs: [.image(image)])]
        let contents = try DocxReader.read(try document.docxData())
        let xml = contents.documentXML + Fixture.string(contents.package, "word/footer1.xml")
        let ids = xml.components(separatedBy: "<wp:docPr id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count == 4)
        #expect(Set(ids).count == 4)
        #expect(contents.partPaths.filter { $0.hasPrefix("word/media/") } == ["word/media/image1.png"])
        #expect(Fixture.string(contents.package, "word/_rels/footer1.xml.rels").contains("media/image1.png"))
        #expect(xml.contains(#"<w:br w:type="page"/>"#))
    }

    @Test("a table that ends the body is followed by a paragraph")
    func tableNeverLast() throws {
        var document = DocxDocument()
        document.add(DocxTable(columnWidths: [2000, 2000], rows: [DocxTableRow([DocxTableCell(), DocxTableCell("x")])]))
        let contents = try DocxReader.read(try document.docxData())
        #expect(contents.bodyElements == ["tbl", "p", "sectPr"])
        #expect(contents.tables[0][0][0].paragraphCount == 1)
    }

    @Test("rows that do not fill the grid and orphan vertical merges are rejected")
    func invalidTables() {
        var short = DocxDocument()
        short.add(DocxTable(columnWidths: [1000, 1000, 1000], rows: [DocxTableRow([DocxTableCell("a", columnSpan: 2)])]))
        #expect(throws: OfficeError.self) { try short.docxData() }

        var orphan = DocxDocument()
        orphan.add(DocxTable(columnWidths: [1000, 1000], rows: [
            DocxTableRow([DocxTableCell("a"), DocxTableCell("b")]),
            DocxTableRow([DocxTableCell("c"), .mergedBelow()]),
        ]))
        #expect(throws: OfficeError.self) { try orphan.docxData() }
    }

    @Test("images are recognised by signature and fitted keeping proportions")
    func imageFormats() throws {
        #expect(DocxImage.format(of: Fixture.png) == .png)
        #expect(DocxImage.format(of: Data([0xFF, 0xD8, 0xFF, 0xE0])) == .jpeg)
        #expect(DocxImage.format(of: Data("GIF89a".utf8)) == nil)
        #expect(throws: OfficeError.unsupportedImage) {
            try DocxImage(data: Data("not an image".utf8), widthEMU: 1, heightEMU: 1)
        }
        #expect(DocxImage.pixelSize(of: Fixture.png)! == (1, 1))
        let fitted = try DocxImage.fitting(data: Fixture.png, maxWidthEMU: 1_260_000, maxHeightEMU: 1_764_000)
        #expect(fitted.widthEMU == 1_260_000 && fitted.heightEMU == 1_260_000)
        // A minimal JPEG header: SOI, APP0, SOF0 with 300×400.
        var jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00]
        jpeg += [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x01, 0x2C, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(DocxImage.pixelSize(of: Data(jpeg))! == (300, 400))
    }

    @Test("landscape pages set the orientation")
    func landscape() throws {
        let document = DocxDocument(page: .a4Landscape, body: [.paragraph(DocxParagraph("横向"))])
        let xml = try DocxReader.read(try document.docxData()).documentXML
        #expect(xml.contains(#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#))
    }

    @Test("a two-character first-line indent is written in characters for Word and in twips of its font size for LibreOffice")
    func firstLineIndent() throws {
        let document = DocxDocument(defaultFormat: DocxTextFormat(halfPoints: 21), body: [
            .paragraph(DocxParagraph("小四正文", format: DocxTextFormat(halfPoints: 24), indentation: .chineseFirstLine)),
            .paragraph(DocxParagraph("默认字号", indentation: .chineseFirstLine)),
        ])
        let xml = try DocxReader.read(try document.docxData()).documentXML
        #expect(xml.contains(#"<w:ind w:firstLine="480" w:firstLineChars="200"/>"#), "2 × 12 pt")
        #expect(xml.contains(#"<w:ind w:firstLine="420" w:firstLineChars="200"/>"#), "2 × 10.5 pt, the document's 五号")
    }
}
