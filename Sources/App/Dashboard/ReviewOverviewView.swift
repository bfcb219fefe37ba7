/// The administrator's progress table on the dashboard, each count a link into the review desk.
extension ReviewOverview {
    var html: HTML {
        let desk = "/review?campaign=\(campaignID)"
        let idle: HTML = "<li class=\"warning\" id=\"overview-idle\">尚未上报任何推荐的行业党委：\(idleCommittees.html { "<span class=\"missing\">\($0)</span>" })</li>"
        return """
            <section class="overview" id="review-overview">
            <div class="title-row"><h2>推荐与审核进度</h2><a class="button" href="/campaigns/\(campaignID)/composition" id="overview-composition">推荐构成分析</a></div>
            <ul class="missing-list" id="overview-missing">
              <li>待审核（已上报、退回修改）：<a href="\(desk)"><strong>\(underReview)</strong> 个</a></li>
              <li>其中无有效盖章扫描件：<a href="\(desk + "&scan=none")"><strong id="overview-no-scan">\(withoutCurrentScan)</strong> 个</a></li>
              <li>其中尚无纪检意见：<a href="\(desk + "&integrity=none")"><strong id="overview-no-integrity">\(withoutIntegrity)</strong> 个</a></li>
              \(HTML.when(!idleCommittees.isEmpty, idle))
            </ul>
            <table class="grid overview-table" id="overview-table">
              <thead>
                <tr><th rowspan="2">行业党委</th>\(categories.html { "<th colspan=\"6\">\($0)</th>" })</tr>
                <tr>\(categories.html { _ in "<th>名额</th><th>草稿</th><th>已上报</th><th>退回</th><th>通过</th><th>未通过</th>" })</tr>
              </thead>
              <tbody>
            \(rows.html { row(desk, $0) })  </tbody>
            </table>
            <p class="hint">“名额”为指导名额（+超额批准）；草稿只显示数量，内容由行业党委保管。</p>
            </section>
            """
    }

    private func row(_ desk: String, _ row: Row) -> HTML {
        let cells = row.cells.html { c -> HTML in
            """
            <td>\(c.guiding)\(HTML.when(c.granted > 0, "+\(c.granted)"))</td><td class="muted">\(c.drafts)</td><td>\(c.submitted)</td>\
            <td>\(c.returned)</td><td class="approved">\(c.approved)</td><td>\(c.rejected)</td>
            """
        }
        return """
              <tr\(HTML.when(row.nothingSubmitted, " class=\"idle\""))><th scope="row"><a href="\(desk + "&committee=\(row.committeeID)")">\(row.committee)</a></th>
              \(cells)</tr>

            """
    }
}
