import HonorsCore
import HonorsOffice

/// The composition report as an Excel workbook: the same figures as the page, a sheet per table.
enum CompositionWorkbook {
    static func title(_ documentNumber: String, _ report: CompositionReport) -> String {
        "\(documentNumber) 推荐构成分析（\(report.scope)）"
    }

    static func make(_ report: CompositionReport, documentNumber: String) -> XlsxWorkbook {
        let title = title(documentNumber, report)
        var workbook = XlsxWorkbook()
        workbook.add(XlsxSheet(
            name: "名额与上报", columns: [XlsxColumn("行业党委", width: 26), XlsxColumn("类别", width: 18)]
                + ["指导名额", "超额批准", "已上报", "审核通过"].map { XlsxColumn($0, width: 11, isText: false) },
            rows: report.progress.map { line in
                [.text(line.committee.name), .text(line.category.label), .integer(line.guiding), .integer(line.granted),
                 .integer(line.submitted), .integer(line.approved)]
            },
            title: title, page: .portrait))
        if report.filters.category.map(\.isPerson) ?? true {
            let names = Dictionary(uniqueKeysWithValues: report.committees.map { ($0.id, $0.name) })
            workbook.add(XlsxSheet(
                name: "一线", columns: [XlsxColumn("行业党委", width: 26)]
                    + ["已上报人数", "其中一线", "一线占比", "审核通过人数", "其中一线", "一线占比"].map { XlsxColumn($0, width: 12, isText: false) }
                    + [XlsxColumn("提示", width: 30)],
                rows: (report.frontline + [report.frontlineTotal]).map { line in
                    var note: [String] = []
                    if line.submittedShort { note.append("已上报名单一线人员不足半数") }
                    if line.approvedShort { note.append("审核通过名单一线人员不足半数") }
                    return [.text(names[line.committeeID] ?? "合计"), .integer(line.submittedPeople), .integer(line.submittedFrontline),
                            .text(CompositionView.percent(line.submittedFrontline, of: line.submittedPeople)),
                            .integer(line.approvedPeople), .integer(line.approvedFrontline),
                            .text(CompositionView.percent(line.approvedFrontline, of: line.approvedPeople)),
                            .text(note.joined(separator: "；"))]
                },
                title: title + "：重点表彰基层和生产、工作一线的党员", page: .portrait))
        }
        // 一线 has its sheet by committee above.
        for table in report.tables where table.facet != .frontline {
            var rows: [[XlsxCell]] = table.rows.map { row in
                [.text(row.band.label), .integer(row.submitted), .text(CompositionView.percent(table.perMille(row.submitted, .submitted))),
                 .integer(row.approved), .text(CompositionView.percent(table.perMille(row.approved, .approved)))]
            }
            if table.unknown(.submitted) + table.unknown(.approved) > 0 {
                rows.append([.text("未填或无法识别"), .integer(table.unknown(.submitted)), .empty, .integer(table.unknown(.approved)), .empty])
            }
            rows.append([.text("合计"), .integer(table.submittedTotal), .empty, .integer(table.approvedTotal), .empty])
            workbook.add(XlsxSheet(
                name: table.facet.label.components(separatedBy: "（").first ?? table.facet.label,
                columns: [XlsxColumn(table.facet.label, width: 22), XlsxColumn("已上报", width: 10, isText: false),
                          XlsxColumn("占比", width: 10), XlsxColumn("审核通过", width: 10, isText: false), XlsxColumn("占比", width: 10)],
                rows: rows, title: title, hasAutoFilter: false, page: .portrait))
        }
        return workbook
    }
}
