import Foundation
import HonorsCore
import HonorsOffice

/// The papers of the campaign's end: the 公示 notice for posting, the 表彰决定 (Word and Excel) and the
/// 荣誉证书, one A4 landscape page each. All of them list only what the public list shows.
enum CommendationDocuments {
    private static let body = DocxTextFormat(font: "仿宋_GB2312", halfPoints: DocxTextFormat.ChineseSize.san)
    private static let heading = DocxTextFormat(font: "黑体", halfPoints: DocxTextFormat.ChineseSize.san)
    private static let title = DocxTextFormat(font: "方正小标宋简体", halfPoints: DocxTextFormat.ChineseSize.er)
    private static let lineSpacing = DocxSpacing(line: .exact(560))

    /// `先进基层党组织（2个）`
    static func heading(_ category: NominationCategory, count: Int) -> String {
        "\(category.label)（\(count)\(category.countUnit)）"
    }

    /// One line of a list: `张三　某某公司党支部书记`, or the organisation with its unit.
    static func line(_ entry: HonourList.Entry) -> String {
        entry.unit.isEmpty ? entry.name : "\(entry.name)　\(entry.unit)"
    }

    private static func paragraph(_ text: String, format: DocxTextFormat = body, alignment: DocxAlignment? = .both,
                                  indent: Bool = true) -> DocxParagraph {
        DocxParagraph(text, format: format, alignment: alignment, spacing: lineSpacing,
                      indentation: indent ? .chineseFirstLine : nil)
    }

    private static let numerals = ["一", "二", "三", "四", "五"]

    private static func addLists(_ list: HonourList, to document: inout DocxDocument) {
        var index = 0
        for category in NominationCategory.allCases {
            let entries = list.of(category)
            guard !entries.isEmpty else { continue }
            document.add(paragraph("\(numerals[index])、\(heading(category, count: entries.count))", format: heading))
            index += 1
            // Two characters in, a wrapped line under its first: each name stays readable as one entry.
            for entry in entries {
                document.add(DocxParagraph(line(entry), format: body, alignment: .left, spacing: lineSpacing,
                                           indentation: DocxIndentation(leftTwips: 640)))
            }
        }
    }

    // MARK: 公示

    /// 公示 notice for the board: the list with the summaries, the period and where to object.
    static func publicityNotice(campaign: Campaign, publicity: Publicity, list: HonourList, issuedOn: DayStamp) throws -> Data {
        var document = DocxDocument(page: .a4Portrait, title: "\(campaign.awardYear)年度“两优一先”拟表彰对象公示")
        document.add(DocxParagraph("关于\(campaign.awardYear)年度“两优一先”拟表彰对象的公示", format: title, alignment: .center,
                                   spacing: DocxSpacing(beforeTwips: 240, afterTwips: 240)))
        document.add(paragraph("根据《\(campaign.title)》（\(campaign.documentNumber)）要求，经各行业党委推荐、联盟审核、征求纪检意见，现将\(campaign.awardYear)年度“两优一先”拟表彰对象予以公示。公示期为\(publicity.period.chinese)（\(publicity.workingDays)个工作日）。"))
        document.add(paragraph("公示期间，如对公示对象有异议，请以真实姓名、通过来信来电或在线方式向\(publicity.contactUnit)反映，并提供联系方式和具体事实；匿名反映不予受理。"))
        document.add(paragraph("受理电话：\(publicity.contactPhone)" + (publicity.contactAddress.isEmpty ? "" : "　通信地址：\(publicity.contactAddress)")))
        var index = 0
        for category in NominationCategory.allCases {
            let entries = list.of(category)
            guard !entries.isEmpty else { continue }
            document.add(paragraph("\(numerals[index])、\(heading(category, count: entries.count))", format: heading))
            index += 1
            for entry in entries {
                let person = category.isPerson ? "\(entry.name)，\(entry.gender)，\(entry.ethnicity)，\(entry.unit)" : line(entry)
                document.add(paragraph(person, format: DocxTextFormat(font: "黑体", halfPoints: DocxTextFormat.ChineseSize.xiaoSan)))
                if !entry.summary.isEmpty { document.add(paragraph("主要事迹：\(entry.summary)")) }
            }
        }
        document.add(paragraph(publicity.contactUnit, alignment: .right, indent: false))
        document.add(paragraph(issuedOn.chinese, alignment: .right, indent: false))
        document.setFooter("公示期 \(publicity.period.chinese)", halfPoints: 18)
        return try document.docxData()
    }

    // MARK: 表彰决定

    static func decision(campaign: Campaign, text: DecisionText, list: HonourList) throws -> Data {
        var document = DocxDocument(page: .a4Portrait, title: text.title)
        document.add(DocxParagraph(text.number, format: body, alignment: .center, spacing: DocxSpacing(beforeTwips: 480, afterTwips: 240)))
        document.add(DocxParagraph(text.title, format: title, alignment: .center, spacing: DocxSpacing(beforeTwips: 240, afterTwips: 480)))
        for part in text.preamble.split(separator: "\n", omittingEmptySubsequences: true) {
            document.add(paragraph(String(part)))
        }
        document.add(paragraph("附件：\(campaign.awardYear)年度“两优一先”表彰名单", indent: true))
        document.add(paragraph(text.issuingBody, alignment: .right, indent: false))
        document.add(paragraph(text.issuedOn.chinese, alignment: .right, indent: false))
        document.addPageBreak()
        document.add(DocxParagraph("附件", format: DocxTextFormat(font: "黑体", halfPoints: DocxTextFormat.ChineseSize.san)))
        document.add(DocxParagraph("\(campaign.awardYear)年度“两优一先”表彰名单", format: title, alignment: .center,
                                   spacing: DocxSpacing(beforeTwips: 240, afterTwips: 240)))
        addLists(list, to: &document)
        document.setFooter("\(text.number)", halfPoints: 18)
        return try document.docxData()
    }

    static func decisionWorkbook(text: DecisionText, list: HonourList, certificates: [Int: String]) throws -> Data {
        let columns = [XlsxColumn("序号", width: 6, isText: false), XlsxColumn("类别", width: 18), XlsxColumn("姓名/党组织名称", width: 24),
                       XlsxColumn("性别", width: 6), XlsxColumn("民族", width: 8), XlsxColumn("工作单位及职务/所在单位", width: 40),
                       XlsxColumn("推荐单位", width: 22), XlsxColumn("证书编号", width: 16)]
        let rows: [[XlsxCell]] = list.entries.enumerated().map { index, e in
            [.integer(index + 1), .text(e.category.label), .text(e.name), .text(e.gender), .text(e.ethnicity), .text(e.unit),
             .text(e.committee), .text(certificates[e.id] ?? "")]
        }
        let sheet = XlsxSheet(name: "表彰名单", columns: columns, rows: rows, title: "\(text.title)（\(text.number)）")
        return try XlsxWorkbook(sheets: [sheet]).xlsxData()
    }

    // MARK: 荣誉证书

    struct CertificateLine: Sendable {
        let number: String
        let category: NominationCategory
        let name: String
    }

    /// One certificate per page, A4 landscape, in number order.
    static func certificates(campaign: Campaign, text: DecisionText, lines: [CertificateLine]) throws -> Data {
        var document = DocxDocument(page: .a4Landscape, title: "\(campaign.awardYear)年度“两优一先”荣誉证书")
        for (index, line) in lines.enumerated() {
            // Each certificate starts its own page; a break paragraph after a full page would leave a blank one.
            var heading = DocxParagraph("荣 誉 证 书", format: DocxTextFormat(font: "方正小标宋简体", halfPoints: 72),
                                        alignment: .center, spacing: DocxSpacing(beforeTwips: 900, afterTwips: 600))
            heading.pageBreakBefore = index > 0
            document.add(heading)
            let address = line.category.isPerson ? "\(line.name)同志：" : "\(line.name)："
            document.add(DocxParagraph(address, format: DocxTextFormat(font: "楷体_GB2312", halfPoints: DocxTextFormat.ChineseSize.er),
                                       spacing: DocxSpacing(afterTwips: 240), indentation: DocxIndentation(leftTwips: 1400)))
            let honour = "被评为\(campaign.awardYear)年度“\(line.category.label)”。"
            document.add(DocxParagraph(honour, format: DocxTextFormat(font: "楷体_GB2312", halfPoints: DocxTextFormat.ChineseSize.er),
                                       spacing: DocxSpacing(afterTwips: 240), indentation: DocxIndentation(leftTwips: 1400, firstLineChars: 200)))
            document.add(DocxParagraph("特发此证，以资鼓励。", format: DocxTextFormat(font: "楷体_GB2312", halfPoints: DocxTextFormat.ChineseSize.er),
                                       spacing: DocxSpacing(afterTwips: 720), indentation: DocxIndentation(leftTwips: 1400, firstLineChars: 200)))
            document.add(DocxParagraph(text.issuingBody, format: DocxTextFormat(font: "楷体_GB2312", halfPoints: DocxTextFormat.ChineseSize.san),
                                       alignment: .right, indentation: DocxIndentation(rightTwips: 1400)))
            document.add(DocxParagraph(text.issuedOn.chinese, format: DocxTextFormat(font: "楷体_GB2312", halfPoints: DocxTextFormat.ChineseSize.san),
                                       alignment: .right, spacing: DocxSpacing(afterTwips: 480), indentation: DocxIndentation(rightTwips: 1400)))
            document.add(DocxParagraph("证书编号：\(line.number)", format: DocxTextFormat(font: "仿宋_GB2312", halfPoints: DocxTextFormat.ChineseSize.xiaoSi),
                                       alignment: .left, indentation: DocxIndentation(leftTwips: 1400)))
        }
        document.setFooter("证书编号可在 /public/certificates 查验", halfPoints: 16)
        return try document.docxData()
    }
}
