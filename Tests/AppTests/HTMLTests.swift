@testable import App
import Foundation
import LeafKit
import Testing
import VaporTesting

/// Pages written in Swift escape what users typed exactly as the templates do.
@Suite("HTML written in Swift")
struct HTMLTests {
    static let hostile = ["<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>", "A&B 公司", "王𠮷", "𬌗 咬合",
                          "👩‍👩‍👧 党支部", "tab\tand\u{7}bell", "１２３全角", "e\u{301}", "", "&amp; already", "'single'"]

    @Test("interpolated text is escaped as Leaf's #() escapes it; markup goes in as written")
    func escaping() {
        for text in Self.hostile {
            let html: HTML = "<td title=\"\(text)\">\(text)</td>"
            #expect(html.markup == "<td title=\"\(text.htmlEscaped())\">\(text.htmlEscaped())</td>", "\(text)")
        }
        let inner: HTML = "<b>\("<i>")</b>"
        let outer: HTML = "<p>\(inner)\(7)</p>"
        #expect(outer.markup == "<p><b>&lt;i&gt;</b>7</p>")
        #expect(HTML.when(false, "<x>").markup.isEmpty && HTML.when(true, "<x>").markup == "<x>")
        #expect(["a<", "b"].html { "<li>\($0)</li>" }.markup == "<li>a&lt;</li><li>b</li>")
    }

    @Test("a hostile name, search and filter come back escaped on the nominations page and the review desk, in the layout")
    func listPage() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(10, committee: kuaidi)
            _ = try await app.makeNomination(committee: kuaidi, name: "<script>alert('x')</script>", state: .submitted)
            let page = try await admin.get("/nominations?q=" + Browser.encode("\"><b>"))
            #expect(page.status == .ok)
            #expect(page.text.contains("value=\"&quot;&gt;&lt;b&gt;\""), "the search box keeps what was typed, escaped")
            #expect(!page.text.contains("<b>"))
            let list = try await admin.get("/nominations")
            #expect(list.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") && !list.text.contains("<script>alert"))
            #expect(list.headers.contentType == .html)
            // The layout around it: title, the admin's menu with this page marked, the sign-out form with its token.
            #expect(list.text.hasPrefix("<!DOCTYPE html>") && list.text.contains("<title>推荐对象 · 两优一先推荐评选系统</title>"))
            #expect(list.text.contains("<a href=\"/nominations\" class=\"active\" aria-current=\"page\">推荐对象</a>"))
            #expect(list.matches(of: #"name="_csrf" value="([^"]+)""#).count == 1)
            #expect(list.text.hasSuffix("</html>\n"))
            let desk = try await admin.get("/review")
            #expect(desk.text.contains("aria-label=\"选择 &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\""))
            #expect(!desk.text.contains("<script>alert") && desk.text.contains("<title>审核工作台 · 两优一先推荐评选系统</title>"))
        }
    }
}
