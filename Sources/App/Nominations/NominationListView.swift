/// The nominations page (`GET /nominations`): filters, one row per nomination, the pager.
extension NominationController.ListView {
    var html: HTML {
        let create: HTML = """
            <p class="actions"><a class="button primary" href="/nominations/new?category=org">推荐先进基层党组织</a>\
            <a class="button primary" href="/nominations/new?category=member">推荐优秀共产党员</a>\
            <a class="button primary" href="/nominations/new?category=worker">推荐优秀党务工作者</a></p>
            """
        let committee: HTML = "<label>行业党委 \(committees.filterSelect("committee"))</label>"
        return """
            <div class="title-row"><h1>推荐对象</h1>
            \(HTML.when(canCreate, create))
            </div>
            <form method="get" action="/nominations" class="filters">
              \(HTML.when(canFilterCommittee, committee))
              <label>类别 \(categories.filterSelect("category"))</label>
              <label>状态 \(states.filterSelect("state"))</label>
              <label>名称 <input name="q" value="\(q)" size="12"></label>
              <button type="submit">筛选</button>
            </form>
            <table class="grid" id="nominations-table">
              <thead><tr><th>名称</th><th>类别</th><th>行业党委</th><th>状态</th><th>盖章扫描件</th><th>更新时间</th></tr></thead>
              <tbody>
            \(rows.html(Self.row))  </tbody>
            </table>
            \(pageInfo.pager)
            """
    }

    private static func row(_ row: NominationController.Row) -> HTML {
        """
          <tr><td><a href="/nominations/\(row.id)">\(row.name)</a></td><td>\(row.category)</td><td>\(row.committee)</td>\
        <td><span class="state state-\(row.stateKey)">\(row.state)</span></td>\
        <td><span class="scan scan-\(row.scanKey)">\(row.scan)</span></td><td>\(row.updated)</td></tr>

        """
    }
}
