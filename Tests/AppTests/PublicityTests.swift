@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// The campaign's end through the web: the 公示 and its public page, real-name objections and their
/// outcome, the decision with numbered certificates, the public lookup, and a campaign that closes.
@Suite("公示 and 表彰")
struct PublicityTests {
    /// Approved nominations of 市快递行业党委, with their summaries already written at approval.
    static func approved(_ app: Application, names: [String], summary: Bool = true) async throws -> [Int] {
        let kuaidi = try await app.committeeID("市快递行业党委")
        try await app.setGuiding(10, committee: kuaidi)
        var ids: [Int] = []
        for name in names {
            let id = try await app.makeNomination(committee: kuaidi, name: name, state: .approved)
            if summary {
                try await Nomination.query(on: app.db).filter(\.$id == id).set(\.$deedsSummary, to: "\(name)扎根一线，带领支部服务快递小哥。").update()
            }
            ids.append(id)
        }
        return ids
    }

    /// The start form as the page sends it: every listed nomination ticked with its summary.
    static func startForm(_ app: Application, ids: [Int], summaries: [Int: String] = [:], start: String = "2024-05-20",
                          days: String = "5") async throws -> [(String, String)] {
        var form: [(String, String)] = [("start_on", start), ("working_days", days), ("contact_unit", "市个体私营经济组织党委"),
                                        ("contact_phone", "0477-8581234"), ("contact_address", "鄂尔多斯市康巴什区")]
        for id in ids {
            let n = try #require(try await Nomination.find(id, on: app.db))
            form.append(("ids[]", "\(id):\(n.version)"))
            form.append(("summary_\(id)", summaries[id] ?? n.deedsSummary ?? ""))
        }
        return form
    }

    /// The objection form as the public page sends it: the nominee named by the page's token.
    static func objection(_ app: Application, name: String = "李明", phone: String = "13912345678", nomination: Int,
                          content: String = "该同志事迹材料中所列获奖情况与实际不符。") -> [(String, String)] {
        [("objector_name", name), ("objector_phone", phone),
         ("nomination", PublicController.token(for: nomination, box: app.secrets)), ("content", content)]
    }

    static func state(_ id: Int, _ app: Application) async throws -> NominationState? {
        try await Nomination.find(id, on: app.db)?.stateValue
    }

    @Test("the administrator starts a 公示 of the approved list; a summary is required; the period follows the working days")
    func start() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await Self.approved(app, names: ["张伟", "刘洋", "陈静"])
            let page = try await admin.get("/campaigns/1/publicity")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="candidate-count">3<"#), "all approved are listed, and counted")
            #expect(page.text.contains(#"value="2024-05-20""#), "today, a working day, is the default start")

            // A chosen nominee without a summary: nothing starts, the typed plan stays.
            var form = try await Self.startForm(app, ids: ids, summaries: [ids[1]: " "], start: "2024-05-20", days: "５")
            let refused = try await admin.post("/campaigns/1/publicity", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fieldErrors.contains("请填写事迹摘要，将在公示名单上发布。"))
            #expect(refused.text.contains(#"value="鄂尔多斯市康巴什区""#))
            #expect(try await Publicity.query(on: app.db).count() == 0)
            #expect(try await Self.state(ids[0], app) == .approved)

            let tooLong = try await admin.post("/campaigns/1/publicity",
                                               try await Self.startForm(app, ids: ids, summaries: [ids[0]: String(repeating: "𠮷", count: 201)]))
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.fieldErrors.contains("事迹摘要最多 200 字，现有 201 字。"))

            // Only two of three chosen; the full-width ５ is read as 5.
            form = try await Self.startForm(app, ids: Array(ids.prefix(2)), days: "５")
            let started = try await admin.post("/campaigns/1/publicity", form)
            #expect(started.status == .seeOther, "\(started.status) \(started.fieldErrors)")
            let publicity = try #require(try await Publicity.of(campaign: 1, on: app.db))
            #expect(publicity.startOn == "2024-05-20" && publicity.endOn == "2024-05-24" && publicity.workingDays == 5)
            #expect(try await Self.state(ids[0], app) == .publicizing)
            #expect(try await Self.state(ids[1], app) == .publicizing)
            #expect(try await Self.state(ids[2], app) == .approved, "not ticked, not listed")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "publicity.start").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.publicize").count() == 2)

            let twice = try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: [ids[2]]))
            #expect(twice.status == .conflict || twice.status == .unprocessableEntity)
            #expect(try await Self.state(ids[2], app) == .approved)

            // The published award year stays as published.
            var edit = CampaignTests.copyForm(["document_number": Notice2024.documentNumber, "award_year": "2030"])
            edit.append(("version", "\(try #require(try await Campaign.find(1, on: app.db)).version)"))
            let renamed = try await admin.post("/campaigns/1", edit)
            #expect(renamed.status == .unprocessableEntity && renamed.fieldErrors.contains { $0.contains("已对外公布") })

            // Only the administrator.
            let reviewer = try await Flow.signedIn(app, "rev", role: .reviewer)
            #expect(try await reviewer.get("/campaigns/1/publicity").status == .forbidden)
        }
    }

    @Test("a start on a holiday begins on the next working day; a year without an arrangement is refused")
    func holidayStart() async throws {
        try await withHonorsApp(at: DayStamp("2024-09-10")!.start.addingTimeInterval(36_000)) { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await Self.approved(app, names: ["张伟"])
            let started = try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids, start: "2024-09-15"))
            #expect(started.status == .seeOther, "\(started.fieldErrors)")
            let publicity = try #require(try await Publicity.of(campaign: 1, on: app.db))
            // 15–17 中秋: from Wednesday the 18th, five working days end on Tuesday the 24th.
            #expect(publicity.startOn == "2024-09-18" && publicity.endOn == "2024-09-24")
        }
        try await withHonorsApp(at: DayStamp("2026-12-21")!.start.addingTimeInterval(36_000)) { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await Self.approved(app, names: ["张伟"])
            let refused = try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids, start: "2026-12-28"))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fieldErrors.contains { $0.contains("2027") }, "\(refused.fieldErrors)")
            #expect(try await Publicity.query(on: app.db).count() == 0)
        }
    }

    @Test("the whole end: objection, outcome, confirmation, decision, certificates, public lookup, close")
    func story() async throws {
        try await withHonorsApp { app, clock in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await Flow.signedIn(app, "kuaidi", role: .committee, committee: "市快递行业党委")
            let ids = try await Self.approved(app, names: ["张伟", "刘洋", "陈静"])
            #expect(try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids)).status == .seeOther)
            let usedBefore = try await QuotaTable.load(campaignID: 1, onlyCommittee: nil, at: clock.now(), on: app.db)
            let overview = try await admin.get("/")
            #expect(!overview.matches(of: #"id="overview-idle">([^<]*(?:<span[^>]*>[^<]*</span>)*)"#).joined().contains("市快递行业党委"),
                    "a committee whose nominations are on the 公示 list has not been idle")

            let visitor = Browser(app)
            let page = try await visitor.get("/public/campaigns/1")
            #expect(page.status == .ok)
            #expect(page.text.contains("张伟") && page.text.contains("刘洋扎根一线"))
            #expect(page.text.contains("2024年5月20日至2024年5月24日"))
            #expect(page.text.contains("0477-8581234"))

            // Unnamed: refused with the reason, nothing stored.
            let unnamed = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, name: "  ", nomination: ids[0]))
            #expect(unnamed.status == .unprocessableEntity)
            #expect(unnamed.fieldErrors.contains { $0.contains("匿名异议不予受理") })
            #expect(unnamed.text.contains("该同志事迹材料中所列获奖情况与实际不符。"), "what was typed stays")
            let noPhone = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, phone: "", nomination: ids[0]))
            #expect(noPhone.status == .unprocessableEntity)
            let notListed = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: 9_999))
            #expect(notListed.fieldErrors.contains("请选择您要反映的公示对象。"))
            // The page names nominees by token: an internal id is nothing to it.
            let byID = try await visitor.post("/public/campaigns/1/objections",
                                              Self.objection(app, nomination: ids[0]).map { $0.0 == "nomination" ? ($0.0, "\(ids[0])") : $0 })
            #expect(byID.fieldErrors.contains("请选择您要反映的公示对象。"))
            #expect(!page.text.contains(#"value="\#(ids[0])""#), "the form does not show internal ids")
            #expect(try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0]), csrf: false).status == .forbidden)
            #expect(try await Objection.query(on: app.db).count() == 0)

            let filed = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0]))
            #expect(filed.status == .seeOther)
            let objection = try #require(try await Objection.query(on: app.db).first())
            #expect(!objection.objectorNameSealed.contains("李明") && !objection.objectorPhoneSealed.contains("13912345678"), "sealed at rest")
            #expect(try app.secrets.open(objection.objectorPhoneSealed) == "13912345678")

            // The administrator sees it masked, in full only on its own page, on record.
            let desk = try await admin.get("/campaigns/1/publicity")
            #expect(desk.text.contains("李*") && !desk.text.contains("李明") && !desk.text.contains("13912345678"))
            let contact = try await admin.get("/campaigns/1/objections/\(try objection.requireID())/contact")
            #expect(contact.text.contains("李明") && contact.text.contains("13912345678"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "objection.reveal").count() == 1)
            #expect(try await kuaidi.get("/campaigns/1/objections/\(try objection.requireID())/contact").status == .forbidden)

            // Clearing before the end is refused.
            let early = try await admin.post("/campaigns/1/publicity/clear")
            #expect(early.status == .conflict)
            #expect(try await Self.state(ids[1], app) == .publicizing)

            // Upheld: the nominee leaves the list; the slot stays used.
            let noNote = try await admin.post("/campaigns/1/objections/\(try objection.requireID())",
                                              [("version", "\(objection.version)"), ("outcome", "disqualify"), ("check_note", "")])
            #expect(noNote.status == .unprocessableEntity)
            #expect(try await Self.state(ids[0], app) == .publicizing)
            let upheld = try await admin.post("/campaigns/1/objections/\(try objection.requireID())",
                                              [("version", "\(objection.version)"), ("outcome", "disqualify"),
                                               ("check_note", "经向发证单位核实，所列市级奖项不实。")])
            #expect(upheld.status == .seeOther)
            #expect(try await Self.state(ids[0], app) == .disqualified)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "objection.decide").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.disqualify").count() == 1)
            let again = try await admin.post("/campaigns/1/objections/\(try objection.requireID())",
                                             [("version", "\(objection.version)"), ("outcome", "no_effect"), ("check_note", "改判")])
            #expect(again.status == .conflict, "a stale version does not overwrite the outcome")
            #expect(!(try await visitor.get("/public/campaigns/1")).text.contains("张伟"))
            let told = try await App.Notification.query(on: app.db).filter(\.$kind == NotificationKind.publicity.rawValue)
                .filter(\.$title == "取消表彰资格：张伟").all()
            #expect(!told.isEmpty && told.allSatisfy { !$0.body.contains("发证单位") }, "the committee is told the outcome, not the check's note")

            // A long objection (2000 characters are 18 KB once form-encoded) is taken from a visitor.
            let long = try await visitor.post("/public/campaigns/1/objections",
                                              Self.objection(app, nomination: ids[1], content: String(repeating: "事", count: 1_990) + "。"))
            #expect(long.status == .seeOther, "\(long.status)")
            let filedEvent = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "objection.file").first())
            #expect(filedEvent.address.hasPrefix("hash:"), "the objector's address is not kept on the trail")
            let usedAfter = try await QuotaTable.load(campaignID: 1, onlyCommittee: nil, at: clock.now(), on: app.db)
            #expect(usedAfter.totals.map(\.used) == usedBefore.totals.map(\.used), "an upheld objection frees nothing")

            // After the last day: no more objections; the list is confirmed.
            clock.set(DayStamp("2024-05-25")!.start.addingTimeInterval(3_600))
            try await admin.signIn("boss")
            try await kuaidi.signIn("kuaidi")
            let ended = try await visitor.get("/public/campaigns/1")
            #expect(ended.text.contains("已结束，不再受理异议") && !ended.text.contains(#"id="objection-form""#))
            let late = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[1]))
            #expect(late.status == .conflict)
            let unchecked = try await admin.post("/campaigns/1/publicity/clear")
            #expect(unchecked.status == .conflict && unchecked.text.contains("还有 1 条异议尚未登记核查结果"))
            let second = try #require(try await Objection.query(on: app.db).filter(\.$outcome == nil).first())
            #expect(try await admin.post("/campaigns/1/objections/\(try second.requireID())",
                                         [("version", "\(second.version)"), ("outcome", "no_effect"), ("check_note", "经核实，反映内容无具体事实。")]).status == .seeOther)
            #expect(try await Self.state(ids[1], app) == .publicizing, "不影响表彰 leaves the nominee on the list")
            #expect(try await admin.post("/campaigns/1/publicity/clear").status == .seeOther)
            #expect(try await Self.state(ids[1], app) == .cleared)
            #expect(try await Self.state(ids[2], app) == .cleared)

            // The decision: every cleared nominee commended, one numbered certificate each.
            let bad = try await admin.post("/campaigns/1/commendation", [("decision_number", ""), ("decision_title", "关于表彰的决定"),
                                                                          ("decision_preamble", "正文"), ("issuing_body", "联盟"), ("issued_on", "2024-06-28")])
            #expect(bad.status == .unprocessableEntity && bad.fieldErrors.contains { $0.contains("请填写文号") })
            let inside = try await admin.post("/campaigns/1/commendation", [
                ("decision_number", "鄂党联发〔2024〕5号"), ("decision_title", "关于表彰的决定"), ("decision_preamble", "正文"),
                ("issuing_body", "联盟"), ("issued_on", "2024-05-22")])
            #expect(inside.fieldErrors.contains { $0.contains("应在公示期") }, "a decision dated inside the 公示 is refused")
            let decided = try await admin.post("/campaigns/1/commendation", [
                ("decision_number", "鄂党联发〔2024〕5号"), ("decision_title", "关于表彰2024年度“两优一先”的决定"),
                ("decision_preamble", "为庆祝中国共产党成立103周年，决定表彰以下同志。"), ("issuing_body", Notice2024.issuingBody),
                ("issued_on", "2024-06-28")])
            #expect(decided.status == .seeOther, "\(decided.fieldErrors)")
            #expect(try await Self.state(ids[1], app) == .commended)
            #expect(try await Self.state(ids[0], app) == .disqualified)
            let numbers = try await Certificate.query(on: app.db).sort(\.$sequence).all().map(\.number)
            #expect(numbers == ["2024-YXDY-001", "2024-YXDY-002"])
            let commendedPage = try await kuaidi.get("/nominations/\(ids[1])")
            #expect(commendedPage.text.contains("已表彰") && commendedPage.text.contains("2024-YXDY-001") && commendedPage.text.contains("同意表彰。"))
            let disqualifiedPage = try await kuaidi.get("/nominations/\(ids[0])")
            #expect(disqualifiedPage.text.contains("<h2>取消表彰资格</h2>") && !disqualifiedPage.text.contains("撤销此前的决定"))

            let docx = try await admin.get("/campaigns/1/commendation/decision.docx")
            #expect(docx.status == .ok)
            let text = try DocxReader.read(Data(buffer: docx.body)).paragraphs.joined(separator: "\n")
            #expect(text.contains("鄂党联发〔2024〕5号") && text.contains("刘洋") && text.contains("陈静") && !text.contains("张伟"))
            let certificates = try await admin.get("/campaigns/1/commendation/certificates.docx")
            let printed = try DocxReader.read(Data(buffer: certificates.body)).paragraphs.joined(separator: "\n")
            #expect(printed.contains("2024-YXDY-001") && printed.contains("刘洋同志") && printed.contains("优秀共产党员"))
            #expect(try await admin.get("/campaigns/1/commendation/decision.xlsx").status == .ok)

            // Anyone can check a certificate by its number, typed loosely; it shows nothing else.
            let lookup = try await visitor.get("/public/certificates?number=" + Browser.encode(" 2024-yxdy-００２"))
            #expect(lookup.location == "/public/certificates/2024-YXDY-002")
            let found = try await visitor.get("/public/certificates/2024-YXDY-002")
            #expect(found.status == .ok && found.text.contains("陈静") && found.text.contains("优秀共产党员"))
            #expect(!found.text.contains("快递"), "not even the committee")
            #expect(try await visitor.get("/public/certificates/2024-YXDY-003").status == .notFound)
            #expect(try await visitor.get("/public/certificates/%3Cscript%3E").status == .notFound)

            // Closed: read-only for everyone; the public page shows the commended list.
            #expect(try await admin.post("/campaigns/1/close").status == .seeOther)
            #expect(try await Campaign.find(1, on: app.db)?.closedAt != nil)
            let draft = try await app.makeNomination(committee: try await app.committeeID("市快递行业党委"), name: "新草稿")
            let edit = try await kuaidi.post("/nominations/\(draft)/withdraw", [("version", "1")])
            #expect(edit.status == .conflict || edit.status == .seeOther)
            let campaignPage = try await admin.get("/campaigns/1")
            #expect(campaignPage.text.contains("已结束归档") && !campaignPage.text.contains("/campaigns/1/edit") && !campaignPage.text.contains("延长截止日期"))
            let refusedEdit = try await admin.get("/campaigns/1/edit")
            #expect(refusedEdit.status == .conflict && refusedEdit.text.contains("已结束并归档"))
            let revert = try await admin.post("/nominations/\(ids[1])/revert", [("version", "\(try #require(try await Nomination.find(ids[1], on: app.db)).version)"), ("reason", "重新审核")])
            #expect(revert.status == .conflict)
            #expect(try await Self.state(ids[1], app) == .commended)
            let closed = try await visitor.get("/public/campaigns/1")
            #expect(closed.text.contains("表彰名单") && closed.text.contains("陈静") && closed.text.contains("鄂党联发〔2024〕5号"))
            #expect(try await admin.get("/nominations/\(ids[1])").status == .ok, "still readable")
        }
    }

    @Test("the public pages of a campaign of 200 nominations show their fields and nothing else")
    func noLeak() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(300, committee: kuaidi)
            var secrets: [String] = []
            var ids: [Int] = []
            for index in 0..<200 {
                let name = "公示\(index)"
                let id = try await app.makeNomination(committee: kuaidi, name: name, state: .approved)
                let idNumber = Samples.idNumber(sequence: 300 + index)
                let phone = "139\(String(format: "%08d", 10_000_000 + index * 7))"
                try await app.seal(id, idNumber: idNumber, phone: phone)
                let birth = "19\(60 + index % 40)-\(String(format: "%02d", 1 + index % 12))"
                try await Nomination.query(on: app.db).filter(\.$id == id)
                    .set(\.$data, to: Nomination.encoded(["name": name, "gender": "男", "ethnicity": "01", "birth_month": birth,
                                                          "unit_and_position": "鄂尔多斯快递公司站长", "deeds": "内部事迹全文\(index)号",
                                                          "native_place": "籍贯\(index)", "honors": "曾获表彰\(index)"]))
                    .set(\.$deedsSummary, to: "摘要\(index)")
                    .set(\.$allianceOpinion, to: "联盟内部意见\(index)").set(\.$decisionReason, to: "内部备注\(index)").update()
                secrets += [idNumber, String(idNumber.suffix(8)), phone, String(phone.suffix(8)), "内部事迹全文\(index)号", "籍贯\(index)",
                            "曾获表彰\(index)", "联盟内部意见\(index)", "内部备注\(index)"]
                ids.append(id)
            }
            let births = Set((0..<200).map { "19\(60 + $0 % 40)-\(String(format: "%02d", 1 + $0 % 12))" })
            #expect(try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids)).status == .seeOther)
            let visitor = Browser(app)
            let page = try await visitor.get("/public/campaigns/1")
            let html = page.text
            #expect(html.contains("公示199") && html.contains("摘要199") && html.contains("汉族") && html.contains("鄂尔多斯快递公司站长"))
            for secret in secrets { #expect(!html.contains(secret), "\(secret) leaked") }
            for birth in births {
                #expect(!html.contains(birth) && !html.contains(birth.replacingOccurrences(of: "-", with: ".")), "\(birth) leaked")
            }
            for word in ["审核通过", "公示中", "/nominations/", "市快递行业党委"] { #expect(!html.contains(word), "\(word) leaked") }
            #expect(!html.contains("<img"), "no photos")
        }
    }

    @Test("the list runs as the decision does: by category, then committee in the notice's order, then entry")
    func listOrder() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await app.committeeID("市快递行业党委")
            let wuye = try await app.committeeID("市物业行业党委")
            // 物业 placed before 快递 whatever their ids.
            try await Committee.query(on: app.db).filter(\.$id == wuye).set(\.$sortOrder, to: -2).update()
            try await Committee.query(on: app.db).filter(\.$id == kuaidi).set(\.$sortOrder, to: -1).update()
            for committee in [kuaidi, wuye] { try await app.setGuiding(3, committee: committee) }
            for (committee, category, name) in [(kuaidi, "worker", "快递工作者"), (kuaidi, "member", "快递党员甲"), (wuye, "member", "物业党员"),
                                                (kuaidi, "member", "快递党员乙"), (wuye, "worker", "物业工作者")] {
                _ = try await app.makeNomination(committee: committee, category: category, name: name, state: .approved)
            }
            _ = try await app.makeNomination(committee: wuye, category: "member", name: "仍在审核", state: .submitted)
            let list = try await HonourList.load(campaignID: 1, states: [.approved], on: app.db)
            #expect(list.entries.map(\.name) == ["物业党员", "快递党员甲", "快递党员乙", "物业工作者", "快递工作者"])
            #expect(list.entries.map(\.committee) == ["市物业行业党委", "市快递行业党委", "市快递行业党委", "市物业行业党委", "市快递行业党委"])
            #expect(try await HonourList.load(campaignID: 1, states: [], on: app.db).isEmpty)
        }
    }

    @Test("objections are limited per address, per hour and per day")
    func limits() async throws {
        try await withHonorsApp { app, clock in
            app.honors.trustedProxies.insert("unknown")
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await Self.approved(app, names: ["张伟"])
            #expect(try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids)).status == .seeOther)
            let visitor = Browser(app)
            visitor.forwardedFor = "203.0.113.9"
            func file() async throws -> HTTPStatus {
                try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0])).status
            }
            for _ in 0..<3 { #expect(try await file() == .seeOther) }
            let hourly = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0]))
            #expect(hourly.status == .tooManyRequests && hourly.text.contains("每小时最多提交 3 条"))
            let neighbour = Browser(app)
            neighbour.forwardedFor = "198.51.100.7"
            #expect(try await neighbour.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0])).status == .seeOther)
            for _ in 0..<2 {
                clock.advance(by: 3_700)
                for _ in 0..<3 { #expect(try await file() == .seeOther) }
            }
            clock.advance(by: 3_700)
            #expect(try await file() == .seeOther, "the tenth of the day")
            let daily = try await visitor.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0]))
            #expect(daily.status == .tooManyRequests && daily.text.contains("每天最多提交 10 条"))
            #expect(try await Objection.query(on: app.db).count() == 11)

            // An IPv6 host steps through its /64 in vain: the whole prefix is counted as one address.
            for (index, suffix) in ["1", "2", "3", "abcd:ef01"].enumerated() {
                let stepping = Browser(app)
                stepping.forwardedFor = "2001:db8:1:2::" + suffix
                let status = try await stepping.post("/public/campaigns/1/objections", Self.objection(app, nomination: ids[0])).status
                #expect(status == (index < 3 ? .seeOther : .tooManyRequests), "\(suffix): \(status)")
            }
            #expect(PublicController.limitKey("2001:db8:1:2::1") == PublicController.limitKey("2001:0db8:0001:0002:ffff::9"))
            #expect(PublicController.limitKey("203.0.113.9") == "203.0.113.9")
        }
    }

    @Test("an objection may carry a PDF or a picture, checked by its content; the administrator opens it on record")
    func attachment() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await Self.approved(app, names: ["张伟"])
            #expect(try await admin.post("/campaigns/1/publicity", try await Self.startForm(app, ids: ids)).status == .seeOther)
            let visitor = Browser(app)
            let fake = try await visitor.upload("/public/campaigns/1/objections", field: "attachment", filename: "证明.pdf",
                                                data: Data("这不是 PDF".utf8), contentType: "application/pdf",
                                                fields: Self.objection(app, nomination: ids[0]))
            #expect(fake.status == .unprocessableEntity)
            #expect(fake.fieldErrors.contains { $0.contains("附件须为 PDF、JPEG 或 PNG 文件") })
            #expect(fake.text.contains("该同志事迹材料中所列获奖情况与实际不符。"), "the typed text stays")
            #expect(try await Objection.query(on: app.db).count() == 0)

            let real = try await visitor.upload("/public/campaigns/1/objections", field: "attachment", filename: "证明材料.pdf",
                                                data: Samples.pdfDocument(pages: 2), contentType: "application/pdf",
                                                fields: Self.objection(app, nomination: ids[0]))
            #expect(real.status == .seeOther, "\(real.status) \(real.fieldErrors)")
            let objection = try #require(try await Objection.query(on: app.db).first())
            #expect(objection.attachmentFile?.hasSuffix(".pdf") == true)
            #expect(try await visitor.get("/campaigns/1/objections/\(try objection.requireID())/attachment").status != .ok)
            let opened = try await admin.get("/campaigns/1/objections/\(try objection.requireID())/attachment")
            #expect(opened.status == .ok && opened.headers.contentType == .pdf)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.objection_attachment").count() == 1)
        }
    }
}
