@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// The alliance's desk: the queue, 回避, the history of a nomination, the 纪检 letter and the dashboard.
@Suite("Review desk")
struct ReviewDeskTests {
    @Test("the queue holds what reached the alliance, with scan, 纪检 reply, recommendations and quota position, filterable")
    func queue() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "草稿人", id: Samples.idNumber(sequence: 301)))
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            #expect(try await desk.reviewer.post("/nominations/\(desk.id)/review", [("recommendation", "recommend"), ("review_note", "事迹突出。")]).status == .seeOther)
            let page = try await desk.admin.get("/review")
            #expect(page.status == .ok)
            let rows = page.matches(of: #"<td><a href="/nominations/\d+">([^<]+)</a>"#)
            #expect(rows == ["张伟"], "drafts stay the committee's")
            #expect(page.text.contains(#"class="scan scan-current""#))
            #expect(page.text.contains(#"class="integrity integrity-clear">无意见"#))
            #expect(page.text.contains("推荐 1"))
            #expect(page.text.contains("已通过及补正中 0 / 可报 1"))
            #expect(try await desk.admin.get("/review?integrity=none").matches(of: #"<td><a href="/nominations/\d+">([^<]+)</a>"#).isEmpty)
            #expect(try await desk.admin.get("/review?scan=stale").matches(of: #"<td><a href="/nominations/\d+">([^<]+)</a>"#).isEmpty)
            #expect(try await desk.admin.get("/review?committee=3").matches(of: #"<td><a href="/nominations/\d+">([^<]+)</a>"#) == ["张伟"])
            // A reviewer sees the desk without approval checkboxes.
            let reviewerPage = try await desk.reviewer.get("/review")
            #expect(reviewerPage.matches(of: #"<td><a href="/nominations/\d+">([^<]+)</a>"#) == ["张伟"])
            #expect(!reviewerPage.text.contains(#"name="ids[]""#))
            #expect(try await desk.kuaidi.get("/review").status == .forbidden)
        }
    }

    @Test("a recused reviewer neither sees nor reviews that committee's nominations")
    func recusal() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let reviewer = try #require(try await User.query(on: app.db).filter(\.$username == "rev").first())
            let committee = try await app.committeeID("市快递行业党委")
            let set = try await desk.admin.post("/admin/users/\(reviewer.id!)/recusals", [("committee_ids[]", "\(committee)")])
            #expect(set.location == "/admin/users/\(reviewer.id!)?notice=recusals")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.recusals").count() == 1)
            let recused = Browser(app)
            try await recused.signIn("rev")
            #expect(try await recused.get("/nominations/\(desk.id)").status == .notFound)
            #expect(try await recused.get("/nominations/\(desk.id)/form.docx").status == .notFound)
            #expect(try await recused.post("/nominations/\(desk.id)/review", [("recommendation", "against")]).status == .notFound)
            #expect(try await recused.get("/committees/\(committee)").status == .notFound)
            #expect(!(try await recused.get("/nominations").text.contains("张伟")))
            #expect(!(try await recused.get("/review").text.contains("张伟")))
            #expect(!(try await recused.get("/integrity").text.contains("张伟")))
            // The administrator still sees everything.
            #expect(try await desk.admin.get("/nominations/\(desk.id)").status == .ok)
            // Recusal is for reviewers only.
            let kuaidiUser = try #require(try await User.query(on: app.db).filter(\.$username == "kuaidi").first())
            #expect(try await desk.admin.post("/admin/users/\(kuaidiUser.id!)/recusals", [("committee_ids[]", "1")]).status == .conflict)
        }
    }

    @Test("the history shows every step with who, when and why; the committee's leaves out the alliance's internal notes")
    func history() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id, .clear)
            _ = try await desk.reviewer.post("/nominations/\(desk.id)/review", [("recommendation", "undecided"), ("review_note", "内部：再看看事迹。")])
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app, reason: "请补充数据。")
            let alliance = try await desk.admin.get("/nominations/\(desk.id)/history")
            let steps = alliance.matches(of: #"<strong class="history-action">([^<]+)</strong>"#)
            // The alliance's history starts where the nomination reached it: the draft was the committee's.
            #expect(steps == ["上报推荐", "登记纪检意见", "评审意见", "退回修改"])
            #expect(alliance.text.contains("原因：请补充数据。；补正期限：2024-05-23"))
            #expect(alliance.text.contains("内部：再看看事迹。"))
            // A reviewer reads their own notes in the history, not another reviewer's.
            let other = try await Flow.signedIn(app, "rev2", role: .reviewer)
            #expect(!(try await other.get("/nominations/\(desk.id)/history").text.contains("内部：再看看事迹。")))
            #expect(try await desk.reviewer.get("/nominations/\(desk.id)/history").text.contains("内部：再看看事迹。"))
            let committee = try await desk.kuaidi.get("/nominations/\(desk.id)/history")
            let seen = committee.matches(of: #"<strong class="history-action">([^<]+)</strong>"#)
            #expect(seen == ["新建推荐", "上传照片", "上传盖章扫描件", "上报推荐", "退回修改"])
            #expect(!committee.text.contains("内部：再看看事迹。"))
            // Field changes are listed, ID number and phone never in full.
            #expect(committee.text.contains("姓名"))
            #expect(!committee.text.contains(Samples.idNumber()))
            #expect(!committee.text.contains("18647176667"))
            #expect(try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app).get("/nominations/\(desk.id)/history").status == .notFound)
        }
    }

    @Test("the 纪检 letter lists the nominees under review in the customary columns; replies recorded on the page")
    func integrityLetter() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let wuye = try await Flow.signedIn(app, "wuye", role: .committee, committee: "市物业行业党委")
            let org = try await NominationTests.create(wuye, Samples.form(for: .org))
            try await Flow.submit(wuye, org, app: app)
            let page = try await desk.admin.get("/integrity")
            #expect(page.text.contains(#"id="integrity-pending">2<"#))
            let letter = try DocxReader.read(Data(buffer: try await desk.admin.get("/integrity/letter.docx?campaign=1&addressee=" + Browser.encode("市纪委监委")).body))
            let table = try #require(letter.tables.first)
            #expect(table.first?.map(\.text) == ["序号", "姓名（名称）", "性别", "出生年月", "工作单位及职务（所在单位）", "推荐类别", "推荐单位"])
            #expect(table.dropFirst().map { $0[1].text }.sorted() == ["张伟", "顺丰速运鄂尔多斯分公司党支部"].sorted())
            let person = try #require(table.first { $0[1].text == "张伟" })
            #expect(person.map(\.text) == ["1", "张伟", "男", "1985.03", "顺丰速运鄂尔多斯分公司 站长", "优秀共产党员", "市快递行业党委"])
            #expect(letter.paragraphs.contains("市纪委监委："))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.integrity_letter").count() == 1)
            // Once replied, a nominee leaves the letter unless all are asked for.
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            let next = try DocxReader.read(Data(buffer: try await desk.admin.get("/integrity/letter.docx?campaign=1").body))
            #expect(next.tables.first?.dropFirst().map { $0[1].text } == ["顺丰速运鄂尔多斯分公司党支部"])
            let all = try DocxReader.read(Data(buffer: try await desk.admin.get("/integrity/letter.docx?campaign=1&all=1").body))
            #expect(all.tables.first?.count == 3)
            #expect(try await desk.kuaidi.get("/integrity").status == .forbidden)
        }
    }

    @Test("the administrator's dashboard counts every state per committee and category and names what is missing")
    func dashboard() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "草稿人", id: Samples.idNumber(sequence: 301)))
            let page = try await desk.admin.get("/")
            #expect(page.text.contains(#"id="overview-no-integrity">1<"#))
            #expect(page.text.contains(#"id="overview-no-scan">0<"#))
            #expect(page.text.contains("尚未上报任何推荐的行业党委"))
            #expect(page.text.contains("<span class=\"missing\">市物业行业党委</span>"))
            #expect(!page.text.contains("<span class=\"missing\">市快递行业党委</span>"))
            #expect(!page.text.contains("草稿人"), "drafts are counted, never shown")
            // The committee's row: member column has 1 draft and 1 submitted.
            let row = try #require(page.matches(of: #"<tr><th scope="row"><a href="/review\?campaign=1&amp;committee=3">市快递行业党委</a></th>(.*?)</tr>"#).first)
            #expect(row.contains("<td>1</td><td class=\"muted\">1</td><td>1</td>"), "\(row)")
        }
    }
}

@Suite("Campaign settings that govern the workflow")
struct CampaignSettingTests {
    @Test("with 不交叉重复 off the same person may be 优秀共产党员 and 优秀党务工作者, but each only once; the setting locks once nominations exist")
    func memberWorkerExclusive() async throws {
        try await withHonorsApp { app, _ in
            try await Campaign.query(on: app.db).filter(\.$id == 1).set(\.$memberWorkerExclusive, to: false).update()
            let kuaidi = try await Flow.signedIn(app, "kuaidi", role: .committee, committee: "市快递行业党委")
            let person = Samples.idNumber()
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(id: person))
            let asWorker = try await kuaidi.post("/nominations", Samples.form(for: .worker, id: person))
            #expect(asWorker.status == .seeOther, "\(asWorker.fieldErrors)")
            let twice = try await kuaidi.post("/nominations", Samples.memberForm(name: "又一次", id: person))
            #expect(twice.status == .conflict)
            #expect(twice.fieldErrors.contains { $0.contains("每个类别只能推荐一次") })

            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let form = try await admin.get("/campaigns/1/edit")
            let version = try #require(form.matches(of: #"name="version" value="(\d+)""#).first)
            var fields: [(String, String)] = []
            let campaign = try #require(try await Campaign.find(1, on: app.db))
            for (key, value) in CampaignFormFields.of(campaign) { fields.append((key, value)) }
            fields.append(("member_worker_exclusive", "1"))
            fields.append(("version", version))
            let locked = try await admin.post("/campaigns/1", fields)
            #expect(locked.status == .unprocessableEntity)
            #expect(locked.fieldErrors.contains("本活动已有推荐对象，不能再更改“优秀共产党员和优秀党务工作者不交叉重复”的设置。"))
        }
    }
}

/// A campaign's form fields as its edit page fills them.
enum CampaignFormFields {
    static func of(_ campaign: Campaign) -> [(String, String)] {
        let form = CampaignForm(campaign)
        return [("title", form.title), ("document_number", form.document_number), ("award_year", form.award_year),
                ("issued_on", form.issued_on), ("deadline_on", form.deadline_on), ("contact_unit", form.contact_unit),
                ("contact_person", form.contact_person), ("contact_phone", form.contact_phone), ("contact_email", form.contact_email),
                ("deeds_target", form.deeds_target), ("deeds_tolerance_pct", form.deeds_tolerance_pct),
                ("deeds_min_pct", form.deeds_min_pct), ("deeds_max_pct", form.deeds_max_pct), ("require_scan", "1")]
    }
}
