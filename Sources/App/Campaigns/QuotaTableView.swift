/// 附件1 on a page (dashboard, campaign, committee): each cell guiding, granted over it, used and left.
extension QuotaTable {
    var html: HTML {
        let totalsRow: HTML = """
              <tfoot>
                <tr><td></td><th scope="row">合计</th>\(totals.html { Self.cell($0, titled: false) })</tr>
              </tfoot>

            """
        return """
            <table id="quota-table" class="grid quota">
              <caption>推荐名额指导性计划分配表（附件1）<span class="caption-note">每格：指导名额 · 已用 · 剩余</span></caption>
              <thead>
                <tr><th scope="col" class="num">序号</th><th scope="col">党组织名称</th>\(columns.html { "<th scope=\"col\">\($0.label)</th>" })</tr>
              </thead>
              <tbody>
            \(rows.html(Self.row))  </tbody>
            \(HTML.when(showTotals, totalsRow))</table>
            """
    }

    private static func row(_ row: Row) -> HTML {
        """
            <tr data-committee="\(row.committeeID)">
              <td class="num">\(row.number)</td>
              <td><a href="/committees/\(row.committeeID)">\(row.committeeName)</a></td>
              \(row.cells.html { cell($0, titled: true) })
            </tr>

        """
    }

    private static func cell(_ cell: Cell, titled: Bool) -> HTML {
        let granted: HTML = titled ? "<span class=\"q-granted\" title=\"超额批准\">+\(cell.granted)</span>" : "<span class=\"q-granted\">+\(cell.granted)</span>"
        let guiding: HTML = titled ? "<span class=\"q-guiding\" title=\"指导名额\">\(cell.guiding)</span>" : "<span class=\"q-guiding\">\(cell.guiding)</span>"
        return """
            <td data-category="\(cell.category)" data-guiding="\(cell.guiding)" data-granted="\(cell.granted)" \
            data-used="\(cell.used)" data-left="\(cell.left)">\(guiding)\(HTML.when(cell.granted > 0, granted))\
            <span class="q-usage">已用 \(cell.used) · 剩余 \(cell.left)</span></td>
            """
    }
}
