/// The composition page (`GET /campaigns/{id}/composition`): filters, then each table with its chart beside it.
extension CompositionView {
    var html: HTML {
        let download = "/campaigns/\(campaign.id)/composition.xlsx" + (query.isEmpty ? "" : "?" + query)
        return """
            <div class="title-row"><h1>推荐构成分析</h1><p class="doc-number">\(campaign.documentNumber) · \(awardYear) 年度</p></div>
            <form method="get" action="/campaigns/\(campaign.id)/composition" class="filters">
              <label>行业党委 \(committees.filterSelect("committee"))</label>
              <label>类别 \(categories.filterSelect("category"))</label>
              <button type="submit">筛选</button>
              <a class="button" id="composition-xlsx" href="\(download)">下载 Excel</a>
              <button type="button" class="print-button" data-print>打印</button>
            </form>
            <p class="scope" id="composition-scope">范围：\(scope)。“已上报”为报到联盟的全部推荐（含退回修改、未通过），“审核通过”含公示及表彰阶段；草稿和已撤回的不计。年龄、党龄按表彰年度计算。</p>

            \(progressSection)
            \(HTML.when(hasFrontline, frontlineSection))
            \(facets.html(Self.facetSection))
            """
    }

    private var progressSection: HTML {
        let heads = progressLabels.html { "<th colspan=\"3\">\($0)</th>" }
        let subheads = progressLabels.html { _ in "<th>名额</th><th>已上报</th><th>通过</th>" }
        let rows = progress.html { row -> HTML in
            let cells = row.cells.html { "<td class=\"n\">\($0.quota)</td><td class=\"n\">\($0.submitted)</td><td class=\"n\">\($0.approved)</td>" }
            return "<tr><td>\(row.committee)</td>\(cells)</tr>"
        }
        return """
            <section class="composition-block" id="progress">
            <h2>名额与上报进度</h2>
            <div class="chart-with-table">
            <figure class="chart-figure">\(HTML(escapedElsewhere: progressChart))<figcaption>各行业党委名额（指导名额＋超额批准）、已上报与审核通过，合计所选类别</figcaption></figure>
            <table class="grid compact" id="progress-table">
              <thead><tr><th rowspan="2">行业党委</th>\(heads)</tr>
              <tr>\(subheads)</tr></thead>
              <tbody>\(rows)</tbody>
            </table>
            </div>
            </section>

            """
    }

    private var frontlineSection: HTML {
        let short: HTML = shortLists.isEmpty ? "" : """
            <p class="notice" id="frontline-short">一线人员不足半数：\(shortLists.html { "<span class=\"missing\">\($0)</span>" })</p>
            """
        return """
            <section class="composition-block" id="frontline">
            <h2>基层和生产、工作一线</h2>
            <p class="hint">通知要求“重点表彰基层和生产、工作一线的党员”。个人推荐（优秀共产党员、优秀党务工作者）中一线人员不足 \(minimumPercent)% 的名单标为“不足半数”。</p>
            \(short)
            <div class="chart-with-table">
            <figure class="chart-figure">\(HTML(escapedElsewhere: frontlineChart))<figcaption>一线人员占个人推荐的比例，虚线为半数</figcaption></figure>
            <table class="grid compact" id="frontline-table">
              <thead><tr><th rowspan="2">行业党委</th><th colspan="2">已上报</th><th colspan="2">审核通过</th></tr><tr><th>一线/人数</th><th>占比</th><th>一线/人数</th><th>占比</th></tr></thead>
              <tbody>\(frontline.html(Self.frontlineRow))</tbody>
              <tfoot><tr><th>\(frontlineTotal.committee)</th><td class="n">\(frontlineTotal.submittedFrontline)/\(frontlineTotal.submittedPeople)</td>\
            <td class="n">\(frontlineTotal.submittedShare)</td><td class="n">\(frontlineTotal.approvedFrontline)/\(frontlineTotal.approvedPeople)</td>\
            <td class="n">\(frontlineTotal.approvedShare)</td></tr></tfoot>
            </table>
            </div>
            </section>

            """
    }

    private static func frontlineRow(_ row: FrontlineRow) -> HTML {
        func share(_ text: String, short: Bool) -> HTML {
            short ? "<td class=\"n short\">\(text) <span class=\"flag\">不足半数</span></td>" : "<td class=\"n\">\(text)</td>"
        }
        return """
            <tr><td>\(row.committee)</td><td class="n">\(row.submittedFrontline)/\(row.submittedPeople)</td>\
            \(share(row.submittedShare, short: row.submittedShort))\
            <td class="n">\(row.approvedFrontline)/\(row.approvedPeople)</td>\(share(row.approvedShare, short: row.approvedShort))</tr>
            """
    }

    private static func facetSection(_ facet: Facet) -> HTML {
        let rows = facet.rows.html { row -> HTML in
            """
            <tr><td>\(row.label)</td><td class="n">\(row.submitted)</td><td class="n">\(row.submittedShare)</td>\
            <td class="n">\(row.approved)</td><td class="n">\(row.approvedShare)</td></tr>
            """
        }
        let unknown: HTML = facet.hasUnknown ? """
            <tr class="muted"><td>未填或无法识别</td><td class="n">\(facet.submittedUnknown)</td><td></td><td class="n">\(facet.approvedUnknown)</td><td></td></tr>
            """ : ""
        return """
            <section class="composition-block" id="facet-\(facet.key)">
            <h2>\(facet.label)</h2>
            <div class="chart-with-table">
            <figure class="chart-figure">\(HTML(escapedElsewhere: facet.chart))<figcaption>\(facet.label)：各组占已上报、审核通过名单的比例</figcaption></figure>
            <table class="grid compact facet-table">
              <thead><tr><th>\(facet.label)</th><th>已上报</th><th>占比</th><th>审核通过</th><th>占比</th></tr></thead>
              <tbody>\(rows)
              \(unknown)</tbody>
              <tfoot><tr><th>合计</th><td class="n">\(facet.submittedTotal)</td><td></td><td class="n">\(facet.approvedTotal)</td><td></td></tr></tfoot>
            </table>
            </div>
            </section>

            """
    }
}
