// The nomination list page (layout, filters, 50 rows, pager) as Honors rendered it with Leaf, and the same page
// with swift-mustache, Plot, plain Swift strings and the app's own HTML writer (Sources/App/Views/HTML.swift,
// linked here), each timed over the same data. Prints the median time of one render and the size of its output.
import Foundation
import LeafKit
import Mustache
import NIOPosix
import Plot

// MARK: The page's data

struct NavItem { let label, href: String; let active: Bool }
struct Option { let value, label: String; let selected: Bool }
struct Row { let id: Int; let name, category, committee, state, stateKey, scan, scanKey, updated: String }
struct PageInfo { let previous, next: String?; let counted: Bool; let page, pages, total: Int }

struct ListPage {
    let title = "推荐对象"
    let userName = "演示管理员", roleLabel = "联盟管理员", csrf = "q8Zx3b1cW0mYp2LkVt6HsA"
    let unread = 3
    let nav = [("工作台", "/"), ("审核工作台", "/review"), ("推荐对象", "/nominations"), ("纪检意见", "/integrity"),
               ("超额申请", "/quota-requests"), ("推荐活动", "/campaigns"), ("行业党委", "/committees"),
               ("账号管理", "/admin/users"), ("操作日志", "/admin/audit")]
        .map { NavItem(label: $0.0, href: $0.1, active: $0.1 == "/nominations") }
    let committees = ["市个体私营经济组织党委", "市互联网行业党委", "市快递行业党委", "市物业行业党委", "市交通运输行业党委",
                      "伊旗个体私营经济组织党委"].enumerated().map { Option(value: "\($0.offset + 1)", label: $0.element, selected: false) }
    let categories = [("org", "先进基层党组织"), ("member", "优秀共产党员"), ("worker", "优秀党务工作者")]
        .map { Option(value: $0.0, label: $0.1, selected: false) }
    let states = [("submitted", "已上报"), ("returned", "退回修改"), ("approved", "审核通过"), ("rejected", "未通过"),
                  ("withdrawn", "已撤回"), ("publicizing", "公示中"), ("cleared", "公示无异议"), ("disqualified", "取消表彰资格"),
                  ("commended", "已表彰")].map { Option(value: $0.0, label: $0.1, selected: false) }
    let rows = (0..<50).map { i in
        Row(id: 100_000 - i, name: ["王𠮷", "阿卜杜热合曼·买买提", "李明", "顺丰速运鄂尔多斯分公司党支部"][i % 4] + "\(i)",
            category: ["优秀共产党员", "优秀党务工作者", "先进基层党组织"][i % 3],
            committee: ["市快递行业党委", "市互联网行业党委", "市交通运输行业党委"][i % 3],
            state: ["已上报", "审核通过", "退回修改"][i % 3], stateKey: ["submitted", "approved", "returned"][i % 3],
            scan: ["当前", "无", "已过期"][i % 3], scanKey: ["current", "none", "stale"][i % 3], updated: "2026-12-0\(i % 9 + 1) 10:\(10 + i % 50)")
    }
    let pageInfo = PageInfo(previous: nil, next: "/nominations?page=2", counted: true, page: 1, pages: 2000, total: 100_000)
    let q = "", canCreate = false, canFilterCommittee = true
}

// MARK: Leaf (what Honors uses): the app's own templates

func leafData(_ p: ListPage) -> [String: LeafData] {
    func options(_ list: [Option]) -> LeafData {
        .array(list.map { .dictionary(["value": .string($0.value), "label": .string($0.label), "selected": .bool($0.selected)]) })
    }
    var pageInfo: [String: LeafData] = ["counted": .bool(p.pageInfo.counted), "page": .int(p.pageInfo.page),
                                        "pages": .int(p.pageInfo.pages), "total": .int(p.pageInfo.total)]
    if let next = p.pageInfo.next { pageInfo["next"] = .string(next) }
    if let previous = p.pageInfo.previous { pageInfo["previous"] = .string(previous) }
    return [
        "title": .string(p.title), "csrf": .string(p.csrf), "unread": .int(p.unread), "path": .string("/nominations"),
        "user": .dictionary(["displayName": .string(p.userName), "roleLabel": .string(p.roleLabel), "isAdmin": .bool(true)]),
        "nav": .array(p.nav.map { .dictionary(["label": .string($0.label), "href": .string($0.href), "active": .bool($0.active)]) }),
        "content": .dictionary([
            "rows": .array(p.rows.map { r in
                .dictionary(["id": .int(r.id), "name": .string(r.name), "category": .string(r.category), "committee": .string(r.committee),
                             "state": .string(r.state), "stateKey": .string(r.stateKey), "scan": .string(r.scan),
                             "scanKey": .string(r.scanKey), "updated": .string(r.updated)])
            }),
            "pageInfo": .dictionary(pageInfo), "q": .string(p.q), "committees": options(p.committees),
            "categories": options(p.categories), "states": options(p.states),
            "canCreate": .bool(p.canCreate), "canFilterCommittee": .bool(p.canFilterCommittee),
        ]),
    ]
}

// MARK: Leaf: the list page as its templates were (layout, body, pager) when it was written in Leaf

let leafTemplates = [
    "layout": #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#(title) · 两优一先推荐评选系统</title>
<link rel="stylesheet" href="/css/app.css">
<script src="/js/app.js" defer></script>
</head>
<body>
<header class="site-header">
  <div class="brand"><a href="/">两优一先推荐评选系统</a></div>
  #if(user):
  <nav class="site-nav" aria-label="主导航">
    #for(item in nav):<a href="#(item.href)"#if(item.active): class="active" aria-current="page"#endif>#(item.label)</a>#endfor
  </nav>
  <div class="who">
    <a href="/notifications" class="notifications-link" id="notifications-link">消息#if(unread > 0):<span class="unread-count" id="unread-count" aria-label="未读 #(unread) 条">#(unread)</span>#endif</a>
    <span class="who-name">#(user.displayName)</span><span class="who-role">#(user.roleLabel)</span>
    <a href="/account/password" class="password-link">修改密码</a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="#(csrf)">
      <button type="submit" id="logout-button" class="link-button">退出登录</button>
    </form>
  </div>
  #endif
</header>
<main class="content">
#import("body")
</main>
<footer class="site-footer">鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选</footer>
</body>
</html>
"""#,
    "nominations": #"""
#extend("layout"):
#export("body"):
<div class="title-row"><h1>推荐对象</h1>
#if(content.canCreate):<p class="actions"><a class="button primary" href="/nominations/new?category=org">推荐先进基层党组织</a><a class="button primary" href="/nominations/new?category=member">推荐优秀共产党员</a><a class="button primary" href="/nominations/new?category=worker">推荐优秀党务工作者</a></p>#endif
</div>
<form method="get" action="/nominations" class="filters">
  #if(content.canFilterCommittee):<label>行业党委 <select name="committee"><option value="">全部</option>#for(o in content.committees):<option value="#(o.value)"#if(o.selected): selected#endif>#(o.label)</option>#endfor</select></label>#endif
  <label>类别 <select name="category"><option value="">全部</option>#for(o in content.categories):<option value="#(o.value)"#if(o.selected): selected#endif>#(o.label)</option>#endfor</select></label>
  <label>状态 <select name="state"><option value="">全部</option>#for(o in content.states):<option value="#(o.value)"#if(o.selected): selected#endif>#(o.label)</option>#endfor</select></label>
  <label>名称 <input name="q" value="#(content.q)" size="12"></label>
  <button type="submit">筛选</button>
</form>
<table class="grid" id="nominations-table">
  <thead><tr><th>名称</th><th>类别</th><th>行业党委</th><th>状态</th><th>盖章扫描件</th><th>更新时间</th></tr></thead>
  <tbody>
  #for(row in content.rows):
  <tr><td><a href="/nominations/#(row.id)">#(row.name)</a></td><td>#(row.category)</td><td>#(row.committee)</td><td><span class="state state-#(row.stateKey)">#(row.state)</span></td><td><span class="scan scan-#(row.scanKey)">#(row.scan)</span></td><td>#(row.updated)</td></tr>
  #endfor
  </tbody>
</table>
#extend("pager")
#endexport
#endextend
"""#,
    "pager": #"""
<nav class="pager" aria-label="分页">
  #if(content.pageInfo.previous):<a href="#(content.pageInfo.previous)">上一页</a>#endif
  #if(content.pageInfo.counted):<span>第 #(content.pageInfo.page) / #(content.pageInfo.pages) 页，共 #(content.pageInfo.total) 条</span>#else:<span>第 #(content.pageInfo.page) 页#if(content.pageInfo.next):，后面还有#endif</span>#endif
  #if(content.pageInfo.next):<a href="#(content.pageInfo.next)">下一页</a>#endif
</nav>
"""#,
]

// MARK: Mustache: the same page

let mustacheLayout = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · 两优一先推荐评选系统</title>
<link rel="stylesheet" href="/css/app.css">
<script src="/js/app.js" defer></script>
</head>
<body>
<header class="site-header">
  <div class="brand"><a href="/">两优一先推荐评选系统</a></div>
  <nav class="site-nav" aria-label="主导航">
    {{#nav}}<a href="{{href}}"{{#active}} class="active" aria-current="page"{{/active}}>{{label}}</a>{{/nav}}
  </nav>
  <div class="who">
    <a href="/notifications" class="notifications-link" id="notifications-link">消息{{#unread}}<span class="unread-count" id="unread-count" aria-label="未读 {{unread}} 条">{{unread}}</span>{{/unread}}</a>
    <span class="who-name">{{userName}}</span><span class="who-role">{{roleLabel}}</span>
    <a href="/account/password" class="password-link">修改密码</a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <button type="submit" id="logout-button" class="link-button">退出登录</button>
    </form>
  </div>
</header>
<main class="content">
{{$body}}{{/body}}
</main>
<footer class="site-footer">鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选</footer>
</body>
</html>
"""#

let mustacheList = #"""
{{<layout}}{{$body}}
<div class="title-row"><h1>推荐对象</h1>
</div>
<form method="get" action="/nominations" class="filters">
  {{#canFilterCommittee}}<label>行业党委 <select name="committee"><option value="">全部</option>{{#committees}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/committees}}</select></label>{{/canFilterCommittee}}
  <label>类别 <select name="category"><option value="">全部</option>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></label>
  <label>状态 <select name="state"><option value="">全部</option>{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></label>
  <label>名称 <input name="q" value="{{q}}" size="12"></label>
  <button type="submit">筛选</button>
</form>
<table class="grid" id="nominations-table">
  <thead><tr><th>名称</th><th>类别</th><th>行业党委</th><th>状态</th><th>盖章扫描件</th><th>更新时间</th></tr></thead>
  <tbody>
  {{#rows}}
  <tr><td><a href="/nominations/{{id}}">{{name}}</a></td><td>{{category}}</td><td>{{committee}}</td><td><span class="state state-{{stateKey}}">{{state}}</span></td><td><span class="scan scan-{{scanKey}}">{{scan}}</span></td><td>{{updated}}</td></tr>
  {{/rows}}
  </tbody>
</table>
<nav class="pager" aria-label="分页">
  {{#pageInfo}}{{#previous}}<a href="{{previous}}">上一页</a>{{/previous}}
  {{#counted}}<span>第 {{page}} / {{pages}} 页，共 {{total}} 条</span>{{/counted}}
  {{#next}}<a href="{{next}}">下一页</a>{{/next}}{{/pageInfo}}
</nav>
{{/body}}{{/layout}}
"""#

// MARK: Plot: the same page as a typed HTML tree

func plotPage(_ p: ListPage) -> String {
    func select(_ name: String, _ options: [Option]) -> Node<Plot.HTML.FormContext> {
        .select(.attribute(named: "name", value: name), .option(.value(""), .label("全部")),
                .forEach(options) { o in .option(.value(o.value), .label(o.label), .isSelected(o.selected)) })
    }
    let html = Plot.HTML(
        .lang(.chinese),
        .head(.meta(.charset(.utf8)), .title("\(p.title) · 两优一先推荐评选系统"), .stylesheet("/css/app.css"),
              .script(.src("/js/app.js"), .attribute(named: "defer", value: nil))),
        .body(
            .header(.class("site-header"),
                    .div(.class("brand"), .a(.href("/"), .text("两优一先推荐评选系统"))),
                    .nav(.class("site-nav"), .forEach(p.nav) { item in
                        .a(.href(item.href), .if(item.active, .class("active")), .text(item.label))
                    }),
                    .div(.class("who"),
                         .a(.href("/notifications"), .text("消息"), .if(p.unread > 0, .span(.class("unread-count"), .text("\(p.unread)")))),
                         .span(.class("who-name"), .text(p.userName)), .span(.class("who-role"), .text(p.roleLabel)),
                         .form(.method(.post), .action("/logout"), .input(.type(.hidden), .name("_csrf"), .value(p.csrf)),
                               .button(.type(.submit), .text("退出登录"))))),
            .main(.class("content"),
                  .div(.class("title-row"), .h1("推荐对象")),
                  .form(.method(.get), .action("/nominations"), .class("filters"),
                        .if(p.canFilterCommittee, .group(.label(.text("行业党委 ")), select("committee", p.committees))),
                        .label(.text("类别 ")), select("category", p.categories),
                        .label(.text("状态 ")), select("state", p.states),
                        .label(.text("名称 ")), .input(.name("q"), .value(p.q)),
                        .button(.type(.submit), .text("筛选"))),
                  .table(.class("grid"), .id("nominations-table"),
                         .thead(.tr(.th("名称"), .th("类别"), .th("行业党委"), .th("状态"), .th("盖章扫描件"), .th("更新时间"))),
                         .tbody(.forEach(p.rows) { r in
                             .tr(.td(.a(.href("/nominations/\(r.id)"), .text(r.name))), .td(.text(r.category)), .td(.text(r.committee)),
                                 .td(.span(.class("state state-\(r.stateKey)"), .text(r.state))),
                                 .td(.span(.class("scan scan-\(r.scanKey)"), .text(r.scan))), .td(.text(r.updated)))
                         })),
                  .nav(.class("pager"),
                       .unwrap(p.pageInfo.previous) { .a(.href($0), .text("上一页")) },
                       .span(.text("第 \(p.pageInfo.page) / \(p.pageInfo.pages) 页，共 \(p.pageInfo.total) 条")),
                       .unwrap(p.pageInfo.next) { .a(.href($0), .text("下一页")) })),
            .footer(.class("site-footer"), .text("鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选"))
        )
    )
    return html.render()
}

// MARK: Plain Swift: interpolation with an escaping function

func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}

func swiftPage(_ p: ListPage) -> String {
    var o = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(p.title)) · 两优一先推荐评选系统</title>
        <link rel="stylesheet" href="/css/app.css">
        <script src="/js/app.js" defer></script>
        </head>
        <body>
        <header class="site-header">
          <div class="brand"><a href="/">两优一先推荐评选系统</a></div>
          <nav class="site-nav" aria-label="主导航">

        """
    for item in p.nav { o += "<a href=\"\(escape(item.href))\"\(item.active ? " class=\"active\" aria-current=\"page\"" : "")>\(escape(item.label))</a>" }
    o += "</nav><div class=\"who\"><a href=\"/notifications\" class=\"notifications-link\">消息"
    if p.unread > 0 { o += "<span class=\"unread-count\">\(p.unread)</span>" }
    o += "</a><span class=\"who-name\">\(escape(p.userName))</span><span class=\"who-role\">\(escape(p.roleLabel))</span>"
    o += "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"\(escape(p.csrf))\"><button type=\"submit\">退出登录</button></form></div></header>"
    o += "<main class=\"content\"><div class=\"title-row\"><h1>推荐对象</h1></div><form method=\"get\" action=\"/nominations\" class=\"filters\">"
    func select(_ label: String, _ name: String, _ options: [Option]) {
        o += "<label>\(label) <select name=\"\(name)\"><option value=\"\">全部</option>"
        for x in options { o += "<option value=\"\(escape(x.value))\"\(x.selected ? " selected" : "")>\(escape(x.label))</option>" }
        o += "</select></label>"
    }
    if p.canFilterCommittee { select("行业党委", "committee", p.committees) }
    select("类别", "category", p.categories)
    select("状态", "state", p.states)
    o += "<label>名称 <input name=\"q\" value=\"\(escape(p.q))\" size=\"12\"></label><button type=\"submit\">筛选</button></form>"
    o += "<table class=\"grid\" id=\"nominations-table\"><thead><tr><th>名称</th><th>类别</th><th>行业党委</th><th>状态</th><th>盖章扫描件</th><th>更新时间</th></tr></thead><tbody>"
    for r in p.rows {
        o += "<tr><td><a href=\"/nominations/\(r.id)\">\(escape(r.name))</a></td><td>\(escape(r.category))</td><td>\(escape(r.committee))</td><td><span class=\"state state-\(escape(r.stateKey))\">\(escape(r.state))</span></td><td><span class=\"scan scan-\(escape(r.scanKey))\">\(escape(r.scan))</span></td><td>\(escape(r.updated))</td></tr>\n"
    }
    o += "</tbody></table><nav class=\"pager\" aria-label=\"分页\">"
    if let previous = p.pageInfo.previous { o += "<a href=\"\(escape(previous))\">上一页</a>" }
    o += "<span>第 \(p.pageInfo.page) / \(p.pageInfo.pages) 页，共 \(p.pageInfo.total) 条</span>"
    if let next = p.pageInfo.next { o += "<a href=\"\(escape(next))\">下一页</a>" }
    o += "</nav></main><footer class=\"site-footer\">鄂尔多斯市新业态新就业群体党建联盟 · “两优一先”推荐评选</footer></body></html>"
    return o
}

// MARK: Timing

func median(_ label: String, runs: Int = 2000, _ render: () throws -> Int) rethrows {
    var size = 0
    for _ in 0..<50 { size = try render() }  // warm up: caches filled, code paged in
    var times: [Double] = []
    times.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        size = try render()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
    }
    times.sort()
    print("| \(label) | \(String(format: "%.0f", times[runs / 2])) µs | \(String(format: "%.0f", times[runs * 99 / 100])) µs | \(size / 1024) KB |")
}

let views = FileManager.default.temporaryDirectory.appendingPathComponent("template-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: views, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: views) }
for (name, text) in leafTemplates { try text.write(toFile: views + "/\(name).leaf", atomically: true, encoding: .utf8) }
let page = ListPage()
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let leaf = LeafRenderer(configuration: LeafConfiguration(rootDirectory: views), cache: DefaultLeafCache(),
                        sources: .singleSource(NIOLeafFiles(fileio: NonBlockingFileIO(threadPool: .singleton),
                                                            sandboxDirectory: views, viewDirectory: views)),
                        eventLoop: loop)
let mustache = try MustacheLibrary(templates: ["layout": MustacheTemplate(string: mustacheLayout), "list": MustacheTemplate(string: mustacheList)])
let mustacheContext: [String: Any] = [
    "title": page.title, "userName": page.userName, "roleLabel": page.roleLabel, "csrf": page.csrf, "unread": page.unread,
    "nav": page.nav.map { ["label": $0.label, "href": $0.href, "active": $0.active] },
    "committees": page.committees.map { ["value": $0.value, "label": $0.label, "selected": $0.selected] },
    "categories": page.categories.map { ["value": $0.value, "label": $0.label, "selected": $0.selected] },
    "states": page.states.map { ["value": $0.value, "label": $0.label, "selected": $0.selected] },
    "rows": page.rows.map { r in ["id": r.id, "name": r.name, "category": r.category, "committee": r.committee, "state": r.state,
                                  "stateKey": r.stateKey, "scan": r.scan, "scanKey": r.scanKey, "updated": r.updated] },
    "pageInfo": ["next": page.pageInfo.next as Any, "counted": true, "page": 1, "pages": 2000, "total": 100_000] as [String: Any],
    "q": page.q, "canFilterCommittee": page.canFilterCommittee,
]

print("| 模板 | 单次中位 | p99 | 大小 |\n|---|---|---|---|")
try median("Leaf（已缓存）") { try leaf.render(path: "nominations", context: leafData(page)).wait().readableBytes }
median("swift-mustache") { mustache.render(mustacheContext, withTemplate: "list")?.utf8.count ?? 0 }
median("Plot") { plotPage(page).utf8.count }
median("Swift 字符串") { swiftPage(page).utf8.count }
median("HTML（Honors 的写法）") { htmlPage(page).markup.utf8.count }
try group.syncShutdownGracefully()
