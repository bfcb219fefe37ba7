import Foundation
import HonorsCore
import HonorsOffice

/// 征求纪检意见函: the letter asking the discipline inspection side about the nominees, with the customary
/// columns (序号, 姓名, 性别, 出生年月, 工作单位及职务, 推荐类别, 推荐单位); an organisation shows its name
/// and unit.
struct IntegrityLetter {
    struct Nominee: Sendable {
        let name: String
        let gender: String
        let birthMonth: String
        let unitAndPosition: String
        let category: NominationCategory
        let committee: String
    }

    let campaign: Campaign
    let addressee: String
    let replyBy: DayStamp
    let nominees: [Nominee]
    let issuedOn: DayStamp

    static let body = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 32)
    static let cellFormat = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 24)
    static let headFormat = DocxTextFormat(font: "黑体", halfPoints: 24)

    var title: String { "关于征求\(campaign.awardYear)年度“两优一先”推荐对象党风廉政意见的函" }

    func make() throws -> Data {
        var document = DocxDocument(title: title)
        document.add(DocxParagraph(title, format: DocxTextFormat(font: "方正小标宋简体", halfPoints: 40), alignment: .center,
                                   spacing: DocxSpacing(beforeTwips: 240, afterTwips: 360)))
        document.add(DocxParagraph("\(addressee)：", format: Self.body))
        let counts = NominationCategory.quotaTableOrder.compactMap { category -> String? in
            let n = nominees.filter { $0.category == category }.count
            return n == 0 ? nil : "\(category.label) \(n) \(category.countUnit)"
        }.joined(separator: "、")
        document.add(DocxParagraph(
            "根据《\(campaign.title)》（\(campaign.documentNumber)）要求，经各行业党委推荐，拟表彰\(counts)。为严把推荐对象的廉洁关，现将名单送上，请协助审查推荐对象的党风廉政情况，并于 \(replyBy.chinese)前反馈意见（无意见、有问题或不宜推荐）。",
            format: Self.body, alignment: .both, spacing: DocxSpacing(line: .exact(560)), indentation: .chineseFirstLine))
        document.add(DocxParagraph("附：推荐对象名单（共 \(nominees.count) 个）", format: Self.body,
                                   spacing: DocxSpacing(beforeTwips: 120, afterTwips: 120), indentation: .chineseFirstLine))
        var table = DocxTable(columnWidths: [600, 1500, 600, 1100, 2700, 1300, 1500], cellPaddingTwips: 60)
        table.addRow(["序号", "姓名（名称）", "性别", "出生年月", "工作单位及职务（所在单位）", "推荐类别", "推荐单位"]
            .map { DocxTableCell($0, format: Self.headFormat) }, height: .atLeast(twips: 560))
        for (index, nominee) in nominees.enumerated() {
            table.addRow([
                DocxTableCell("\(index + 1)", format: Self.cellFormat), DocxTableCell(nominee.name, format: Self.cellFormat),
                DocxTableCell(nominee.gender, format: Self.cellFormat),
                DocxTableCell(nominee.birthMonth.replacingOccurrences(of: "-", with: "."), format: Self.cellFormat),
                DocxTableCell(nominee.unitAndPosition, format: Self.cellFormat, alignment: .left),
                DocxTableCell(nominee.category.label, format: Self.cellFormat),
                DocxTableCell(nominee.committee, format: Self.cellFormat),
            ], height: .atLeast(twips: 520), cantSplit: true)
        }
        document.add(table)
        document.add(DocxParagraph("联系人：\(campaign.contactPerson)　联系电话：\(campaign.contactPhone)", format: Self.body,
                                   spacing: DocxSpacing(beforeTwips: 240), indentation: .chineseFirstLine))
        document.add(DocxParagraph(Notice2024.issuer, format: Self.body, alignment: .right, spacing: DocxSpacing(beforeTwips: 600)))
        document.add(DocxParagraph(issuedOn.chinese, format: Self.body, alignment: .right))
        document.setFooter("\(campaign.documentNumber) · 征求纪检意见", halfPoints: 18)
        return try document.docxData()
    }
}
