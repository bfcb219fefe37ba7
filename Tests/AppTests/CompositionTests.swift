@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The campaign's shape: counts kept by the database beside every write, read by the alliance's report.
@Suite("Composition")
struct CompositionTests {
    /// A nomination in `state` whose form holds `values` (written as a save writes `data`).
    static func nominee(_ app: Application, committee: Int, category: String = "member", state: NominationState,
                        _ values: [String: String]) async throws -> Int {
        let id = try await app.makeNomination(committee: committee, category: category, name: values["name"] ?? "某人", state: state)
        try await Nomination.query(on: app.db).filter(\.$id == id).set(\.$data, to: Nomination.encoded(values)).update()
        return id
    }

    static func person(_ gender: String, ethnicity: String = "01", born: String, joined: String, education: String,
                       frontline: Bool) -> [String: String] {
        ["gender": gender, "ethnicity": ethnicity, "birth_month": born, "party_join_date": joined, "education": education,
         "frontline": frontline ? "yes" : "no"]
    }

    /// The cells of a table row that starts with `label` in the section `id`.
    static func row(_ page: TestingHTTPResponse, section id: String, _ label: String) -> [String] {
        let text = page.text
        guard let start = text.range(of: "id=\"\(id)\""), let end = text.range(of: "</section>", range: start.upperBound..<text.endIndex),
              let cell = text.range(of: "<tr><td>\(label)</td>", range: start.upperBound..<end.lowerBound) else { return [] }
        let rest = text[cell.upperBound...]
        let line = rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)]
        let regex = try! NSRegularExpression(pattern: #"<td[^>]*>([^<]*)"#)
        let string = String(line)
        return regex.matches(in: string, range: NSRange(string.startIndex..., in: string)).compactMap {
            Range($0.range(at: 1), in: string).map { String(string[$0]).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Three committees' people and an organisation, in every stage that counts and some that do not.
    static func campaign(_ app: Application) async throws -> (kuaidi: Int, jiaotong: Int, ids: [String: Int]) {
        let kuaidi = try await app.committeeID("市快递行业党委")
        let jiaotong = try await app.committeeID("市交通运输行业党委")
        for committee in [kuaidi, jiaotong] {
            for category in ["member", "worker", "org"] { try await app.setGuiding(20, committee: committee, category: category) }
        }
        var ids: [String: Int] = [:]
        ids["A"] = try await nominee(app, committee: kuaidi, state: .submitted,
                                     person("女", ethnicity: "02", born: "1990-01", joined: "2015-06", education: "14", frontline: true))
        ids["B"] = try await nominee(app, committee: kuaidi, state: .approved,
                                     person("男", born: "1970-05", joined: "1995-07-01", education: "21", frontline: false))
        ids["C"] = try await nominee(app, committee: kuaidi, category: "worker", state: .commended,
                                     person("男", born: "1980-02", joined: "2000-03", education: "31", frontline: false))
        ids["D"] = try await nominee(app, committee: kuaidi, state: .draft,
                                     person("女", born: "1995-01", joined: "2020-01", education: "21", frontline: true))
        ids["W"] = try await nominee(app, committee: kuaidi, state: .withdrawn,
                                     person("女", born: "1995-01", joined: "2020-01", education: "21", frontline: true))
        ids["E"] = try await nominee(app, committee: kuaidi, category: "org", state: .submitted, ["member_count": "12"])
        ids["F"] = try await nominee(app, committee: jiaotong, state: .approved,
                                     person("女", born: "1985-09", joined: "2010-01", education: "21", frontline: true))
        return (kuaidi, jiaotong, ids)
    }

    @Test("the report counts what reached the alliance and what it approved, by band, per committee and category")
    func report() async throws {
        try await withHonorsApp { app, _ in
            let (kuaidi, _, _) = try await Self.campaign(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let page = try await admin.get("/campaigns/1/composition")
            #expect(page.status == .ok)
            // Drafts and withdrawn nominations are not counted; the commended worker was approved.
            #expect(Self.row(page, section: "facet-gender", "男") == ["2", "50.0%", "2", "66.7%"])
            #expect(Self.row(page, section: "facet-gender", "女") == ["2", "50.0%", "1", "33.3%"])
            #expect(Self.row(page, section: "facet-ethnicity", "少数民族") == ["1", "25.0%", "0", "0.0%"])
            #expect(Self.row(page, section: "facet-age", "35岁及以下") == ["1", "25.0%", "0", "0.0%"])
            #expect(Self.row(page, section: "facet-age", "46—55岁") == ["1", "25.0%", "1", "33.3%"])
            #expect(Self.row(page, section: "facet-party_years", "21—30年") == ["2", "50.0%", "2", "66.7%"], "1995-07-01 and 2000-03")
            #expect(Self.row(page, section: "facet-education", "研究生") == ["1", "25.0%", "0", "0.0%"])
            #expect(Self.row(page, section: "facet-members", "10—29人") == ["1", "100.0%", "0", "—"])
            // Progress against the quota: 快递 has two members and a worker with the alliance, one each approved.
            #expect(Self.row(page, section: "progress", "市快递行业党委") == ["20", "1", "0", "20", "1", "1", "20", "2", "1", "60", "4", "2"],
                    "先进基层党组织, 优秀党务工作者, 优秀共产党员, 合计")
            // 快递's people: one of three from the front line, none of the two approved: both lists fall short.
            #expect(Self.row(page, section: "frontline", "市快递行业党委") == ["1/3", "33.3%", "0/2", "0.0%"])
            #expect(page.text.components(separatedBy: "<span class=\"flag\">不足半数</span>").count == 3, "both of 快递's lists flagged")
            #expect(Self.row(page, section: "frontline", "市交通运输行业党委") == ["1/1", "100.0%", "1/1", "100.0%"])
            #expect(page.text.contains("id=\"frontline-short\"") && page.text.contains("市快递行业党委（已上报）"))
            #expect(page.text.contains("<tfoot><tr><th>合计</th><td class=\"n\">2/4</td><td class=\"n\">50.0%</td><td class=\"n\">1/3</td><td class=\"n\">33.3%</td>"))
            #expect(page.text.contains("id=\"chart-gender-title\"") && page.text.contains("id=\"chart-frontline-hatch\""))

            // One committee, one category.
            let filtered = try await admin.get("/campaigns/1/composition?committee=\(kuaidi)&category=worker")
            #expect(Self.row(filtered, section: "facet-gender", "男") == ["1", "100.0%", "1", "100.0%"])
            #expect(!filtered.text.contains("id=\"facet-members\"") && !filtered.text.contains("市交通运输行业党委</td>"))
            #expect(filtered.text.contains("市快递行业党委 · 优秀党务工作者"))
            // Organisations only: no people's facets, no front-line section.
            let orgs = try await admin.get("/campaigns/1/composition?category=org")
            #expect(orgs.text.contains("id=\"facet-members\"") && !orgs.text.contains("id=\"facet-gender\"") && !orgs.text.contains("id=\"frontline\""))
            #expect(try await admin.get("/campaigns/99/composition").status == .notFound)
        }
    }

    @Test("the counts follow edits, state changes, moves and deletions made by any write")
    func follows() async throws {
        try await withHonorsApp { app, _ in
            let (kuaidi, jiaotong, ids) = try await Self.campaign(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            // A's gender corrected; B sent back to rejected; C deleted; the draft D submitted; F moved to 快递.
            var a = Self.person("男", ethnicity: "02", born: "1990-01", joined: "2015-06", education: "14", frontline: true)
            a["deeds"] = "新的事迹。"
            try await Nomination.query(on: app.db).filter(\.$id == ids["A"]!).set(\.$data, to: Nomination.encoded(a)).update()
            try await Nomination.query(on: app.db).filter(\.$id == ids["B"]!).set(\.$state, to: NominationState.rejected.rawValue).update()
            try await Nomination.query(on: app.db).filter(\.$id == ids["C"]!).delete()
            try await Nomination.query(on: app.db).filter(\.$id == ids["D"]!).set(\.$state, to: NominationState.submitted.rawValue)
                .set(\.$submittedAt, to: app.clock.now()).update()
            try await Nomination.query(on: app.db).filter(\.$id == ids["F"]!).set(\.$committee.$id, to: kuaidi).update()
            let page = try await admin.get("/campaigns/1/composition")
            #expect(Self.row(page, section: "facet-gender", "男") == ["2", "50.0%", "0", "0.0%"], "A and the rejected B")
            #expect(Self.row(page, section: "facet-gender", "女") == ["2", "50.0%", "1", "100.0%"], "D and F")
            #expect(Self.row(page, section: "frontline", "市快递行业党委") == ["3/4", "75.0%", "1/1", "100.0%"])
            #expect(Self.row(page, section: "frontline", "市交通运输行业党委") == ["0/0", "—", "0/0", "—"])
            _ = jiaotong
        }
    }

    @Test("a form that is not a JSON object counts as empty values, as honors check recounts it, and is not refused")
    func nonObjectData() async throws {
        try await withHonorsApp { app, _ in
            let (_, _, ids) = try await Self.campaign(app)
            let a = try #require(try await Nomination.find(ids["A"]!, on: app.db))
            for odd in ["[]", "null", #""text""#, "  {}"] {
                try await Nomination.query(on: app.db).filter(\.$id == ids["A"]!).set(\.$data, to: odd).update()
                #expect(try await InvariantCheck.composition(on: app.db) == [], "data \(odd)")
            }
            try await Nomination.query(on: app.db).filter(\.$id == ids["A"]!).set(\.$data, to: a.data).update()
            #expect(try await InvariantCheck.composition(on: app.db) == [])
        }
    }

    @Test("a recused reviewer sees neither the figures nor the name of the committee, and cannot ask for it")
    func recusal() async throws {
        try await withHonorsApp { app, _ in
            let (kuaidi, jiaotong, _) = try await Self.campaign(app)
            let reviewer = try await app.makeUser("rev", role: .reviewer)
            try await ReviewerRecusal(userID: try reviewer.requireID(), committeeID: kuaidi).create(on: app.db)
            let browser = Browser(app)
            try await browser.signIn("rev")
            let page = try await browser.get("/campaigns/1/composition")
            #expect(page.status == .ok && !page.text.contains("市快递行业党委"))
            #expect(Self.row(page, section: "facet-gender", "女") == ["1", "100.0%", "1", "100.0%"], "only 交通's F")
            #expect(try await browser.get("/campaigns/1/composition?committee=\(kuaidi)").status == .notFound)
            #expect(try await browser.get("/campaigns/1/composition.xlsx?committee=\(kuaidi)").status == .notFound)
            #expect(try await browser.get("/campaigns/1/composition?committee=\(jiaotong)").status == .ok)
            let operatorBrowser = try await Flow.signedIn(app, "kd", role: .committee, committee: "市快递行业党委")
            #expect(try await operatorBrowser.get("/campaigns/1/composition").status == .forbidden)
        }
    }

    @Test("the workbook holds the page's figures, a sheet per table, and its download is on record")
    func workbook() async throws {
        try await withHonorsApp { app, _ in
            _ = try await Self.campaign(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let response = try await admin.get("/campaigns/1/composition.xlsx")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true)
            let book = try XlsxReader.read(Data(buffer: response.body))
            #expect(book.sheets.map(\.name) == ["名额与上报", "一线", "性别", "民族", "年龄", "党龄", "文化程度", "党员人数"])
            let gender = try #require(book["性别"])
            #expect(gender.rows.contains(["男", "2", "50.0%", "2", "66.7%"]))
            #expect(gender.rows.contains { Array($0.prefix(4)) == ["合计", "4", "", "3"] })
            let frontline = try #require(book["一线"])
            #expect(frontline.rows.contains { Array($0.prefix(7)) == ["合计", "4", "2", "50.0%", "3", "1", "33.3%"] })
            #expect(frontline.rows.contains(["市快递行业党委", "3", "1", "33.3%", "2", "0", "0.0%", "已上报名单一线人员不足半数；审核通过名单一线人员不足半数"]))
            let progress = try #require(book["名额与上报"])
            #expect(progress.rows.contains(["市快递行业党委", "优秀共产党员", "20", "0", "2", "1"]))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "document.composition").first())
            #expect(event.actorName == "boss")
        }
    }

    @Test("honors check finds counts that left the nominations behind, and the migration counts rows already there")
    func invariant() async throws {
        try await withHonorsApp(checkInvariants: false) { app, clock in
            _ = try await Self.campaign(app)
            let before = try await CompositionReport.counts(campaignID: 1, committees: [1, 2, 3, 4, 5, 6],
                                                            categories: NominationCategory.allCases, on: app.db)
            #expect(before.count > 10)
            try await MigrationBackfillTests.again(CreateNominationComposition(), app)
            let after = try await CompositionReport.counts(campaignID: 1, committees: [1, 2, 3, 4, 5, 6],
                                                           categories: NominationCategory.allCases, on: app.db)
            #expect(Set(after.map { "\($0)" }) == Set(before.map { "\($0)" }))
            #expect(try await InvariantCheck.run(app, on: app.db, at: clock.now()) == [])
            try await (app.db as! any SQLDatabase).raw("UPDATE nomination_composition SET n = n + 1 WHERE facet = 'gender' AND value = '女'").run()
            let findings = try await InvariantCheck.run(app, on: app.db, at: clock.now())
            #expect(!findings.isEmpty && findings.allSatisfy { $0.rule == "composition" })
            #expect(findings.contains { $0.detail.contains("gender / 女") })
        }
    }
}
