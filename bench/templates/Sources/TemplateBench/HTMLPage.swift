// The list page as the app writes it now: PageLayout, NominationListView and PageInfo.pager, through the app's
// own HTML type.

func htmlPage(_ p: ListPage) -> HTML {
    func select(_ name: String, _ options: [Option]) -> HTML {
        let items = options.html { "<option value=\"\($0.value)\"\(HTML.when($0.selected, " selected"))>\($0.label)</option>" }
        return "<select name=\"\(name)\"><option value=\"\">全部</option>\(items)</select>"
    }
    let nav = p.nav.html { "<a href=\"\($0.href)\"\(HTML.when($0.active, " class=\"active\" aria-current=\"page\""))>\($0.label)</a>" }
    let rows = p.rows.html { row -> HTML in
        """
          <tr><td><a href="/nominations/\(row.id)">\(row.name)</a></td><td>\(row.category)</td><td>\(row.committee)</td>\
        <td><span class="state state-\(row.stateKey)">\(row.state)</span></td>\
        <td><span class="scan scan-\(row.scanKey)">\(row.scan)</span></td><td>\(row.updated)</td></tr>

        """
    }
    let info = p.pageInfo
    return """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(p.title) · 两优一先推荐评选系统</title>
        <link rel="stylesheet" href="/css/app.css">
        <script src="/js/app.js" defer></script>
        </head>
        <body>
        <header class="site-header">
          <div class="brand"><a href="/">两优一先推荐评选系统</a></div>
          <nav class="site-nav" aria-label="主导航">
            \(nav)
          </nav>
          <div class="who">
            <a href="/notifications" class="notifications-link" id="notifications-link">消息\(HTML.when(p.unread > 0, "<span class=\"unread-count\" id=\"unread-count\" aria-label=\"未读 \(p.unread) 条\">\(p.unread)</span>"))</a>
            <span class="who-name">\(p.userName)</span><span class="who-role">\(p.roleLabel)</span>
            <a href="/account/password" class="password-link">修改密码</a>
            <form method="post" action="/logout" class="inline">
              <input type="hidden" name="_csrf" value="\(p.csrf)">
              <button type="submit" id="logout-button" class="link-button">退出登录</button>
            </form>
          </div>
        </header>
        <main class="content">
        <div class="title-row"><h1>推荐对象</h1>
        </div>
        <form method="get" action="/nominations" class="filters">
          \(HTML.when(p.canFilterCommittee, "<label>行业党委 \(select("committee", p.committees))</label>"))
          <label>类别 \(select("category", p.categories))</label>
          <label>状态 \(select("state", p.states))</label>
          <label>名称 <input name="q" value="\(p.q)" size="12"></label>
          <button type="submit">筛选</button>
        </form>
        <table class="grid" id="nominations-table">
          <thead><tr><th>名称</th><th>类别</th><th>行业党委</th><th>状态</th><th>盖章扫描件</th><th>更新时间</th></tr></thead>
          <tbody>
        \(rows)  </tbody>
        </table>
        <nav class="pager" aria-label="分页">
          \(info.previous.map { "<a href=\"\($0)\">上一页</a>" } ?? HTML())
          <span>第 \(info.page) / \(info.pages) 页，共 \(info.total) 条</span>
          \(info.next.map { "<a href=\"\($0)\">下一页</a>" } ?? HTML())
        </nav>
        </main>
        <footer class="site-footer">鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选</footer>
        </body>
        </html>

        """
}
