@testable import App
import HonorsCore
import Testing
import VaporTesting

@Suite("Quota table of 附件1")
struct QuotaTableTests {
    /// The notice's table, typed again here from the notice rather than read from the seed.
    static let attachment1: [(String, Int, Int, Int)] = [
        ("市个体私营经济组织党委", 2, 1, 2), ("市互联网行业党委", 1, 1, 1), ("市快递行业党委", 1, 1, 1),
        ("市物业行业党委", 1, 1, 1), ("市交通运输行业党委", 2, 1, 2), ("伊旗个体私营经济组织党委", 2, 1, 2),
    ]

    @Test("the dashboard shows 附件1: six committees in order, guiding numbers, totals 9 / 6 / 9, nothing used")
    func dashboardShowsAttachment1() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let browser = Browser(app)
            try await browser.signIn("boss")
            let page = try await browser.get("/")
            #expect(page.status == .ok)
            #expect(page.text.contains("鄂党联发〔2024〕4号"))
            let names = page.matches(of: #"<tr data-committee="\d+">\s*<td class="num">\d+</td>\s*<td><a [^>]*>([^<]+)</a>"#)
            #expect(names == Self.attachment1.map(\.0))
            let org = page.matches(of: #"data-category="org" data-guiding="(\d+)""#)
            let worker = page.matches(of: #"data-category="worker" data-guiding="(\d+)""#)
            let member = page.matches(of: #"data-category="member" data-guiding="(\d+)""#)
            // Six rows and then the totals row.
            #expect(worker == Self.attachment1.map { "\($0.2)" } + ["6"])
            #expect(member == Self.attachment1.map { "\($0.3)" } + ["9"])
            #expect(org == Self.attachment1.map { "\($0.1)" } + ["9"])
            #expect(Set(page.matches(of: #"data-used="(\d+)""#)) == ["0"])
            #expect(page.matches(of: #"data-left="(\d+)""#) == page.matches(of: #"data-guiding="(\d+)""#))
        }
    }

    @Test("left equals guiding plus granted minus used, never below zero")
    func quotaArithmetic() {
        #expect(QuotaLine(guiding: 2, granted: 1, used: 1).left == 2)
        #expect(QuotaLine(guiding: 1, granted: 0, used: 3).left == 0)
        #expect(QuotaLine(guiding: 1, used: 1).isFull)
        #expect(!QuotaLine(guiding: 1, granted: 1, used: 1).isFull)
    }

    @Test("a committee operator sees only their own committee's row, and no totals")
    func committeeSeesOwnRow() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("kuaidi01", role: .committee, committee: "市快递行业党委")
            let browser = Browser(app)
            try await browser.signIn("kuaidi01")
            let page = try await browser.get("/")
            let names = page.matches(of: #"<tr data-committee="\d+">\s*<td class="num">\d+</td>\s*<td><a [^>]*>([^<]+)</a>"#)
            #expect(names == ["市快递行业党委"])
            #expect(!page.text.contains("市互联网行业党委"))
            #expect(!page.text.contains("<tfoot>"))
        }
    }
}
