@testable import App
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Lists at any length: totals from the tallies, far pages read from the far end, searches that never count.
@Suite("List paging")
struct ListPagingTests {
    static let row = #"<td><a href="/nominations/(\d+)">"#

    static func ids(_ page: TestingHTTPResponse) -> [Int] {
        page.matches(of: row).compactMap(Int.init)
    }

    @Test("every page of 130 holds the rows of its place, the last read from the far end; totals follow filters and drafts stay out")
    func pages() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            let other = try await app.committeeID("市交通运输行业党委")
            try await app.setGuiding(200, committee: kuaidi)
            try await app.setGuiding(200, committee: other)
            var made: [Int] = []
            for index in 0..<130 {
                made.append(try await app.makeNomination(committee: index % 3 == 0 ? other : kuaidi, name: "列表\(index)",
                                                         state: index % 4 == 0 ? .approved : .submitted))
            }
            _ = try await app.makeNomination(committee: kuaidi, name: "草稿", state: .draft)
            let newestFirst = made.reversed() as [Int]
            let first = try await admin.get("/nominations")
            #expect(Self.ids(first) == Array(newestFirst[0..<50]))
            #expect(first.text.contains("第 1 / 3 页，共 130 条"))
            #expect(Self.ids(try await admin.get("/nominations?page=2")) == Array(newestFirst[50..<100]))
            let last = try await admin.get("/nominations?page=3")
            #expect(Self.ids(last) == Array(newestFirst[100..<130]), "the oldest, newest first, as counted from the top")
            #expect(Self.ids(try await admin.get("/nominations?page=99")) == Array(newestFirst[100..<130]), "past the end: the last page")

            let approved = made.enumerated().filter { $0.offset % 4 == 0 }.map(\.element).reversed() as [Int]
            let approvedPage = try await admin.get("/nominations?state=approved")
            #expect(Self.ids(approvedPage) == approved && approvedPage.text.contains("共 \(approved.count) 条"))
            let others = made.enumerated().filter { $0.offset % 3 == 0 }.map(\.element).reversed() as [Int]
            let otherPage = try await admin.get("/nominations?committee=\(other)")
            #expect(otherPage.text.contains("共 \(others.count) 条") && Self.ids(otherPage) == Array(others.prefix(50)))
            // The committee's own list holds its draft too.
            let operatorBrowser = try await Flow.signedIn(app, "kd", role: .committee, committee: "市快递行业党委")
            #expect(try await operatorBrowser.get("/nominations").text.contains("共 \(130 - others.count + 1) 条"))
        }
    }

    @Test("a name search pages on without counting its matches")
    func search() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(200, committee: kuaidi)
            var wang: [Int] = []
            for index in 0..<60 {
                wang.append(try await app.makeNomination(committee: kuaidi, name: "王\(index)", state: .submitted))
                _ = try await app.makeNomination(committee: kuaidi, name: "李\(index)", state: .submitted)
            }
            let first = try await admin.get("/nominations?q=" + "王".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(Self.ids(first) == Array(wang.reversed()[0..<50]))
            #expect(first.text.contains("第 1 页，后面还有") && first.text.contains("下一页") && !first.text.contains("共 "))
            let second = try await admin.get("/nominations?q=%E7%8E%8B&page=2")
            #expect(Self.ids(second) == Array(wang.reversed()[50..<60]))
            #expect(!second.text.contains("下一页") && second.text.contains("上一页"))
        }
    }

    @Test("every filter of the review desk holds exactly the nominations it names, and its count says as many")
    func deskFilters() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委"), other = try await app.committeeID("市交通运输行业党委")
            for committee in [kuaidi, other] {
                for category in ["member", "worker"] { try await app.setGuiding(50, committee: committee, category: category) }
            }
            struct Made { let id: Int; let committee: Int; let category: String; let state: NominationState; let scan: ScanState; let integrity: String? }
            var made: [Made] = []
            for index in 0..<24 {
                let committee = index % 2 == 0 ? kuaidi : other, category = index % 3 == 0 ? "worker" : "member"
                let state: NominationState = index % 4 == 0 ? .returned : .submitted
                let id = try await app.makeNomination(committee: committee, category: category, name: "台\(index)", state: state)
                let scan: ScanState = [.none, .current, .stale][index % 3]
                let integrity: String? = index % 5 == 0 ? nil : (index % 5 == 1 ? IntegrityResult.concern.rawValue : IntegrityResult.clear.rawValue)
                try await Nomination.query(on: app.db).filter(\.$id == id)
                    .set(\.$dataFingerprint, to: "d\(index)")
                    .set(\.$scanFingerprint, to: scan == .none ? nil : scan == .current ? "d\(index)" : "old")
                    .set(\.$integrityResult, to: integrity).update()
                made.append(Made(id: id, committee: committee, category: category, state: state, scan: scan, integrity: integrity))
            }
            let filters: [(String, (Made) -> Bool)] = [
                ("", { _ in true }),
                ("&committee=\(other)", { $0.committee == other }),
                ("&category=worker", { $0.category == "worker" }),
                ("&state=returned", { $0.state == .returned }),
                ("&scan=none", { $0.scan == .none }), ("&scan=current", { $0.scan == .current }), ("&scan=stale", { $0.scan == .stale }),
                ("&integrity=none", { $0.integrity == nil }), ("&integrity=concern", { $0.integrity == "concern" }),
                ("&committee=\(kuaidi)&scan=current&integrity=clear", { $0.committee == kuaidi && $0.scan == .current && $0.integrity == "clear" }),
            ]
            for (filter, holds) in filters {
                let page = try await admin.get("/review?campaign=1" + filter)
                let expected = made.filter(holds).sorted { ($0.committee, $0.category, $0.id) < ($1.committee, $1.category, $1.id) }.map(\.id)
                #expect(Self.ids(page) == expected, "\(filter)")
                #expect(page.text.contains("共 \(expected.count) 条"), "\(filter)")
            }
            // The dashboard's figures above its progress table count the same nominations.
            let dashboard = try await admin.get("/")
            #expect(dashboard.text.contains("<strong>\(made.count)</strong> 个"))
            #expect(dashboard.text.contains("id=\"overview-no-scan\">\(made.filter { $0.scan != .current }.count)<"))
            #expect(dashboard.text.contains("id=\"overview-no-integrity\">\(made.filter { $0.integrity == nil }.count)<"))
        }
    }

    @Test("the review desk's far pages hold the rows of their place in its committee-and-category order")
    func deskPages() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            var made: [(Int, String, Int)] = []
            for name in ["市快递行业党委", "市交通运输行业党委"] {
                let committee = try await app.committeeID(name)
                for category in ["member", "worker"] { try await app.setGuiding(50, committee: committee, category: category) }
                for category in ["member", "worker"] {
                    for _ in 0..<30 {
                        made.append((committee, category, try await app.makeNomination(committee: committee, category: category, state: .submitted)))
                    }
                }
            }
            let order = made.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.2)
            #expect(Self.ids(try await admin.get("/review?campaign=1")) == Array(order[0..<50]))
            let last = try await admin.get("/review?campaign=1&page=3")
            #expect(Self.ids(last) == Array(order[100..<120]) && last.text.contains("共 120 条"))
        }
    }

    @Test("the audit page's total, taken from the chain's head, is the number of events, and filters count theirs")
    func auditTotal() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            for name in ["甲", "乙", "丙"] { _ = try await Flow.signedIn(app, "u\(name.unicodeScalars.first!.value)", role: .reviewer) }
            let events = try await AuditEvent.query(on: app.db).count()
            #expect(events > 3)
            #expect(try await admin.get("/admin/audit").text.contains("共 \(events) 条"))
            let signIns = try await AuditEvent.query(on: app.db).filter(\.$action == "auth.sign_in").count()
            #expect(try await admin.get("/admin/audit?action=auth.sign_in").text.contains("共 \(signIns) 条"))
        }
    }

    @Test("a name search finds what the whole text does, by rare characters, Latin letters and renames alike")
    func searchIndex() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(200, committee: kuaidi)
            var id: [String: Int] = [:]
            for name in ["王𠮷", "𬌗王", "张三", "IBM党支部", "王小明", "小王明", "明王小"] {
                id[name] = try await app.makeNomination(committee: kuaidi, name: name, state: .submitted)
            }
            func found(_ q: String) async throws -> [Int] {
                Self.ids(try await admin.get("/nominations?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
            }
            func newestFirst(_ names: String...) -> [Int] { names.map { id[$0]! }.sorted(by: >) }
            #expect(try await found("𠮷") == newestFirst("王𠮷"))
            #expect(try await found("王") == newestFirst("王𠮷", "𬌗王", "王小明", "小王明", "明王小"))
            #expect(try await found("王小") == newestFirst("王小明", "明王小"), "the characters in their order, not only each")
            #expect(try await found("IBM党") == newestFirst("IBM党支部"))
            #expect(try await found("BM") == newestFirst("IBM党支部"), "Latin letters only: the list is walked itself")
            #expect(try await found("李") == [])
            let renamed = try #require(try await Nomination.find(id["王小明"], on: app.db))
            renamed.displayName = "赵小明"
            try await renamed.save(on: app.db)
            #expect(try await found("王小") == newestFirst("明王小"))
            #expect(try await found("赵") == newestFirst("王小明"))
            try await Nomination.query(on: app.db).filter(\.$id == id["明王小"]!).delete()
            #expect(try await found("王小") == [])
            #expect(NameSearch.key("王小") == "小" && NameSearch.key("IBM") == nil && NameSearch.key("A1b") == "1")
        }
    }

    @Test("honors check finds a name index that no longer matches the names")
    func nameIndexCheck() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let kuaidi = try await app.committeeID("市快递行业党委")
            let id = try await app.makeNomination(committee: kuaidi, name: "王小明", state: .submitted)
            #expect(try await InvariantCheck.nameIndex(on: app.db) == [])
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM nomination_name_chars WHERE ch = '小'").run()
            try await sql.raw("INSERT INTO nomination_name_chars (ch, nomination_id) VALUES ('李', \(bind: id))").run()
            let findings = try await InvariantCheck.nameIndex(on: app.db)
            #expect(findings.map(\.rule) == ["name", "name"])
            #expect(findings[0].detail.contains("推荐编号 \(id)") && findings[0].detail.contains("找不到"))
            #expect(findings[1].detail.contains("没有的字"))
        }
    }

    @Test("honors check finds a tally that no longer matches the nominations")
    func tallyCheck() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let kuaidi = try await app.committeeID("市快递行业党委")
            let id = try await app.makeNomination(committee: kuaidi, state: .submitted)
            // Changes of every kind keep the tallies: state, scan, 纪检 reply, deletion.
            try await Nomination.query(on: app.db).filter(\.$id == id).set(\.$state, to: "approved")
                .set(\.$integrityResult, to: "clear").set(\.$scanFingerprint, to: "x").update()
            _ = try await app.makeNomination(committee: kuaidi, state: .draft)
            #expect(try await InvariantCheck.tallies(on: app.db) == [])
            try await Nomination.query(on: app.db).filter(\.$id == id).delete()
            #expect(try await InvariantCheck.tallies(on: app.db) == [])
            try await (app.db as! any SQLDatabase).raw("UPDATE nomination_tallies SET n = n + 1 WHERE state = 'draft'").run()
            let findings = try await InvariantCheck.tallies(on: app.db)
            #expect(findings.count == 1 && findings[0].rule == "tally" && findings[0].detail.contains("记录 1 条，计数表 2 条"))
        }
    }
}
