import Foundation
import HonorsOffice

/// 附件1 推荐名额指导性计划分配表 as Word: the notice's columns, plus granted and used in extra columns.
enum QuotaDocument {
    static func make(campaign: Campaign, table: QuotaTable) throws -> Data {
        var document = DocxDocument(page: .a4Landscape, title: "推荐名额指导性计划分配表")
        let body = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 24)
        let head = DocxTextFormat(font: "黑体", halfPoints: 24)
        let small = DocxTextFormat(font: "黑体", halfPoints: 21)
        document.add(DocxParagraph("附件 1", format: DocxTextFormat(font: "黑体", halfPoints: 32)))
        document.add(DocxParagraph("“两新”党建联盟推荐名额指导性计划分配表",
                                   format: DocxTextFormat(font: "方正小标宋简体", halfPoints: 36),
                                   alignment: .center, spacing: DocxSpacing(beforeTwips: 240, afterTwips: 240)))
        document.add(DocxParagraph(campaign.documentNumber, format: body, alignment: .center))
        // The notice's three columns, each followed by what the campaign added: granted and used.
        let columnsPerCategory = ["指导名额", "超额批准", "已上报"]
        var grid = DocxTable(columnWidths: [700, 2700] + Array(repeating: 1050, count: table.columns.count * 3))
        grid.addRow([DocxTableCell("序号", format: head, verticalMerge: .restart),
                     DocxTableCell("党组织名称", format: head, verticalMerge: .restart)]
                    + table.columns.map { DocxTableCell($0.label, format: head, columnSpan: 3) }, height: .atLeast(twips: 500))
        grid.addRow([.mergedBelow(), .mergedBelow()]
                    + table.columns.flatMap { _ in columnsPerCategory.map { DocxTableCell($0, format: small) } },
                    height: .atLeast(twips: 500))
        for row in table.rows {
            grid.addRow([DocxTableCell("\(row.number)", format: body), DocxTableCell(row.committeeName, format: body)]
                        + row.cells.flatMap(Self.cells(format: body)), height: .atLeast(twips: 560))
        }
        if table.showTotals {
            grid.addRow([DocxTableCell("合计", format: head, columnSpan: 2)] + table.totals.flatMap(Self.cells(format: head)),
                        height: .atLeast(twips: 560))
        }
        document.add(grid)
        document.add(DocxParagraph("注：“指导名额”为通知附件1的指导性计划；“超额批准”为经联盟同意超指导性计划上报的名额；“已上报”为已上报联盟的推荐数。",
                                   format: DocxTextFormat(font: "仿宋_GB2312", halfPoints: 21)))
        document.setFooter("\(campaign.documentNumber) 附件1", halfPoints: 18)
        return try document.docxData()
    }

    static func cells(format: DocxTextFormat) -> (QuotaTable.Cell) -> [DocxTableCell] {
        { cell in [DocxTableCell("\(cell.guiding)", format: format), DocxTableCell("\(cell.granted)", format: format),
                   DocxTableCell("\(cell.used)", format: format)] }
    }
}
