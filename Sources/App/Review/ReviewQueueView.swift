/// The review desk (`GET /review`): filters, one row per nomination with a box for bulk approval, the pager.
extension ReviewQueueController.QueueView {
    var html: HTML {
        let heads = ["名称", "行业党委", "类别", "状态", "盖章扫描件", "纪检意见", "评审推荐", "名额", "上报时间"]
        let choose: HTML = "<th><span class=\"visually-hidden\">选择</span></th>"
        let bulk: HTML = """
            <p class="actions"><button type="submit" id="bulk-approve-button">批量审核通过所选…</button>\
            <span class="hint">下一步将列出所选推荐，确认后才会通过。</span></p>
            """
        return """
            <div class="title-row"><h1>审核工作台</h1><p class="doc-number">\(campaign)</p></div>
            \(notice.map { "<p class=\"notice success\" role=\"status\">\($0)</p>" } ?? HTML())
            <form method="get" action="/review" class="filters">
              <label>活动 \(campaigns.filterSelect("campaign", unfiltered: nil))</label>
              <label>行业党委 \(committees.filterSelect("committee"))</label>
              <label>类别 \(categories.filterSelect("category"))</label>
              <label>状态 \(states.filterSelect("state", unfiltered: "已上报和退回修改"))</label>
              <label>扫描件 \(scans.filterSelect("scan"))</label>
              <label>纪检 \(integrities.filterSelect("integrity"))</label>
              <button type="submit">筛选</button>
            </form>
            <form method="post" action="/review/approve" id="bulk-form">
            <input type="hidden" name="_csrf" value="\(csrf)">
            <table class="grid" id="review-table">
              <thead><tr>\(HTML.when(canApprove, choose))\(heads.html { "<th>\($0)</th>" })</tr></thead>
              <tbody>
            \(rows.html(row))  </tbody>
            </table>
            \(HTML.when(canApprove, bulk))
            </form>
            \(pageInfo.pager)
            """
    }

    private func row(_ row: ReviewQueueController.Row) -> HTML {
        let box: HTML = "<input type=\"checkbox\" name=\"ids[]\" value=\"\(row.id):\(row.version)\" aria-label=\"选择 \(row.name)\">"
        let repeated = row.repeat.map { past -> HTML in
            "<span class=\"flag repeat-flag\" title=\"近三年曾获表彰：\(past)\">近三年曾获表彰</span><br><small class=\"repeat-detail\">\(past)</small>"
        } ?? HTML()
        return """
              <tr>\(HTML.when(canApprove, "<td>\(HTML.when(row.canApprove, box))</td>"))\
            <td><a href="/nominations/\(row.id)">\(row.name)</a>\(repeated)</td><td>\(row.committee)</td><td>\(row.category)</td>\
            <td><span class="state state-\(row.stateKey)">\(row.state)</span></td>\
            <td><span class="scan scan-\(row.scanKey)">\(row.scan)</span></td>\
            <td><span class="integrity integrity-\(row.integrityKey)">\(row.integrity)</span></td>\
            <td>\(row.reviews)</td><td>\(row.quota)</td><td>\(row.submittedAt)</td></tr>

            """
    }
}
