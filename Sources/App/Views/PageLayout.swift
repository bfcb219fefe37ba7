import Vapor

/// The frame of every page: head, the signed-in user's header and menu, footer. Templates and Swift views
/// write only what goes inside `<main>`.
struct PageLayout: Sendable {
    let title: String
    let user: CurrentUser?
    let nav: [NavItem]
    let csrf: String
    /// Unread notifications, for the header.
    let unread: Int

    /// The page around `body`.
    func document(around body: ByteBuffer) -> ByteBuffer {
        let (head, foot) = (self.head.markup, Self.foot.markup)
        var page = ByteBufferAllocator().buffer(capacity: head.utf8.count + body.readableBytes + foot.utf8.count)
        page.writeString(head)
        page.writeImmutableBuffer(body)
        page.writeString(foot)
        return page
    }

    var head: HTML {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · 两优一先推荐评选系统</title>
        <link rel="stylesheet" href="/css/app.css">
        <script src="/js/app.js" defer></script>
        </head>
        <body>
        <header class="site-header">
          <div class="brand"><a href="/">两优一先推荐评选系统</a></div>
        \(user.map(header) ?? HTML())</header>
        <main class="content">

        """
    }

    private func header(_ user: CurrentUser) -> HTML {
        let items = nav.html { item in
            "<a href=\"\(item.href)\"\(HTML.when(item.active, " class=\"active\" aria-current=\"page\""))>\(item.label)</a>"
        }
        let count = HTML.when(unread > 0, "<span class=\"unread-count\" id=\"unread-count\" aria-label=\"未读 \(unread) 条\">\(unread)</span>")
        return """
          <nav class="site-nav" aria-label="主导航">
            \(items)
          </nav>
          <div class="who">
            <a href="/notifications" class="notifications-link" id="notifications-link">消息\(count)</a>
            <span class="who-name">\(user.displayName)</span><span class="who-role">\(user.roleLabel)</span>
            <a href="/account/password" class="password-link">修改密码</a>
            <form method="post" action="/logout" class="inline">
              <input type="hidden" name="_csrf" value="\(csrf)">
              <button type="submit" id="logout-button" class="link-button">退出登录</button>
            </form>
          </div>

        """
    }

    static let foot: HTML = """

        </main>
        <footer class="site-footer">鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选</footer>
        </body>
        </html>

        """
}
