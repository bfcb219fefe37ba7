@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// The alliance's half of the campaign through the web: returns with a 补正期限, the 纪检 reply before an
/// approval, rejections and reverts, each leaving one audit event and the committee's notifications.
@Suite("Review workflow")
struct ReviewWorkflowTests {
    /// A committee's operator, an administrator and a reviewer, and one nomination submitted by the committee.
    struct Desk {
        let app: Application
        let kuaidi: Browser
        let admin: Browser
        let reviewer: Browser
        let id: Int
    }

    static func desk(_ app: Application) async throws -> Desk {
        let kuaidi = try await Flow.signedIn(app, "kuaidi", role: .committee, committee: "市快递行业党委")
        let admin = try await Flow.signedIn(app, "boss", role: .admin)
        let reviewer = try await Flow.signedIn(app, "rev", role: .reviewer)
        let id = try await NominationTests.create(kuaidi, Samples.memberForm())
        let submitted = try await Flow.submit(kuaidi, id, app: app)
        #expect(submitted.status == .seeOther, "\(submitted.status) \(submitted.matches(of: #"id="form-error">([^<]*)<"#))")
        return Desk(app: app, kuaidi: kuaidi, admin: admin, reviewer: reviewer, id: id)
    }

    /// 王芳, submitted by 市物业行业党委: a second nomination for the desk.
    static func submittedByAnotherCommittee(_ app: Application) async throws -> Int {
        let wuye = try await Flow.signedIn(app, "wuye", role: .committee, committee: "市物业行业党委")
        let id = try await NominationTests.create(wuye, Samples.memberForm(name: "王芳", id: Samples.idNumber(sequence: 211)))
        #expect(try await Flow.submit(wuye, id, app: app).status == .seeOther)
        return id
    }

    static func state(_ id: Int, _ app: Application) async throws -> NominationState? {
        try await Nomination.find(id, on: app.db)?.stateValue
    }

    static func events(_ action: String, _ id: Int, _ app: Application) async throws -> Int {
        try await AuditEvent.query(on: app.db).filter(\.$action == action).filter(\.$objectID == "\(id)").count()
    }

    static func notifications(_ kind: NotificationKind, _ app: Application) async throws -> [App.Notification] {
        try await App.Notification.query(on: app.db).filter(\.$kind == kind.rawValue).all()
    }

    @Test("a return needs a reason; its 补正期限 defaults to 3 working days; the committee is told, edits after the deadline and submits again")
    func returnAndFix() async throws {
        try await withHonorsApp { app, clock in
            let desk = try await Self.desk(app)
            let id = desk.id
            let noReason = try await Flow.sendBack(desk.admin, id, app: app, reason: " ")
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.fieldErrors.contains("请写明退回修改的原因，行业党委将看到此说明。"))
            #expect(try await Self.state(id, app) == .submitted)

            // 2024-05-20 is a Monday: three working days on is Thursday the 23rd.
            let returned = try await Flow.sendBack(desk.admin, id, app: app, reason: "请补充近三年的具体事迹数据。")
            #expect(returned.location == "/nominations/\(id)?notice=returned")
            let row = try #require(try await Nomination.find(id, on: app.db))
            #expect(row.stateValue == .returned)
            #expect(row.fixBy == "2024-05-23")
            #expect(try await Self.events("nomination.return", id, app) == 1)
            let notices = try await Self.notifications(.returned, app)
            #expect(notices.count == 1, "one operator of the committee, one notification")
            #expect(notices.first?.body.contains("请补充近三年的具体事迹数据。") == true)
            #expect(notices.first?.body.contains("2024年5月23日") == true)
            let header = try await desk.kuaidi.get("/")
            #expect(header.text.contains(#"id="unread-count""#))
            let page = try await desk.kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("联盟已退回修改"))
            #expect(page.text.contains("请补充近三年的具体事迹数据。"))
            // The returned nomination keeps its slot while its 补正期限 runs.
            #expect(page.text.contains("已占用 1"))

            // Returned again with a later 补正期限; after the campaign's deadline, within it: edit, new scan, submit again.
            let admin = try await Flow.signedIn(app, "boss2", role: .admin)
            try await Flow.uploadScan(desk.kuaidi, id, app: app)
            #expect(try await desk.kuaidi.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")]).status == .seeOther)
            #expect(try await Flow.sendBack(admin, id, app: app, fixBy: "2024-06-05").status == .seeOther)
            clock.set(DayStamp("2024-05-31")!.start.addingTimeInterval(9 * 3600))
            let late = try await Flow.signedIn(app, "kuaidi2", role: .committee, committee: "市快递行业党委")
            let edit = try await late.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(id, app))"]))
            #expect(edit.status == .seeOther, "\(edit.status)")
            #expect(try await Nomination.find(id, on: app.db)?.scanState == .stale, "the edit made the scan stale")
            let refused = try await late.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("盖章扫描件与当前数据不一致"))
            try await Flow.uploadScan(late, id, app: app)
            let again = try await late.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")])
            #expect(again.status == .seeOther)
            #expect(try await Self.state(id, app) == .submitted)
        }
    }

    @Test("past its 补正期限 a returned nomination can no longer be changed, and frees its slot")
    func fixPeriodPasses() async throws {
        try await withHonorsApp { app, clock in
            let desk = try await Self.desk(app)
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app, fixBy: "2024-06-03")
            clock.set(DayStamp("2024-06-04")!.start.addingTimeInterval(3600))
            let late = try await Flow.signedIn(app, "kuaidi2", role: .committee, committee: "市快递行业党委")
            let edit = try await late.get("/nominations/\(desk.id)/edit")
            #expect(edit.status == .conflict)
            #expect(edit.text.contains("补正期限（2024年6月3日）已过"))
            let page = try await late.get("/nominations/\(desk.id)")
            #expect(page.text.contains("已占用 0"), "the slot is free again")
            #expect(!page.text.contains(#"data-action="submit""#))
        }
    }

    @Test("approval needs a 纪检 reply of 无意见; the opinion then prints in the form's last block")
    func integrityBlocksApproval() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            let id = desk.id
            let none = try await Flow.approve(desk.admin, id, app: app)
            #expect(none.status == .unprocessableEntity)
            #expect(none.text.contains("尚未登记纪检部门的答复，不能审核通过"))
            #expect(try await Self.state(id, app) == .submitted)

            let vague = try await Flow.integrity(desk.reviewer, id, .concern)
            #expect(vague.status == .unprocessableEntity, "有问题 needs the note")
            #expect(try await Flow.integrity(desk.reviewer, id, .concern, note: "群众反映工作作风问题，正在核实。").status == .seeOther)
            let concern = try await Flow.approve(desk.admin, id, app: app)
            #expect(concern.status == .unprocessableEntity)
            #expect(concern.text.contains("纪检部门的答复为“有问题”"))

            #expect(try await Flow.integrity(desk.reviewer, id, .clear).status == .seeOther)
            let noOpinion = try await Flow.approve(desk.admin, id, app: app, opinion: "")
            #expect(noOpinion.fieldErrors.contains("请填写市“两新”党建联盟意见，将打印在审批表上。"))
            let approved = try await Flow.approve(desk.admin, id, app: app, opinion: "同意表彰为优秀共产党员。")
            #expect(approved.status == .seeOther)
            #expect(try await Self.state(id, app) == .approved)
            #expect(try await Self.events("nomination.approve", id, app) == 1)
            #expect(try await Self.notifications(.approved, app).count == 1)

            let form = try DocxReader.read(Data(buffer: try await desk.kuaidi.get("/nominations/\(id)/form.docx").body))
            #expect(form.documentXML.contains("同意表彰为优秀共产党员。"))
            #expect(form.documentXML.contains("2024 年 5 月 20 日"))
        }
    }

    @Test("reject needs a reason; the administrator reverts a decision with a reason; a reviewer decides nothing")
    func rejectAndRevert() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            let id = desk.id
            let byReviewer = try await desk.reviewer.post("/nominations/\(id)/reject", [("reason", "x"), ("version", "\(try await Flow.version(id, app))")])
            #expect(byReviewer.status == .forbidden)
            #expect(byReviewer.text.contains("只有联盟管理员可以不予通过"))
            let noReason = try await desk.admin.post("/nominations/\(id)/reject", [("reason", ""), ("version", "\(try await Flow.version(id, app))")])
            #expect(noReason.fieldErrors.contains("请写明不予通过的理由，行业党委将看到此说明。"))
            let rejected = try await desk.admin.post("/nominations/\(id)/reject", [("reason", "事迹材料与实际不符。"), ("version", "\(try await Flow.version(id, app))")])
            #expect(rejected.status == .seeOther)
            #expect(try await Self.state(id, app) == .rejected)
            #expect(try await Self.notifications(.rejected, app).first?.body.contains("事迹材料与实际不符。") == true)
            // Withdrawing after the alliance decided is refused with the reason.
            let withdraw = try await desk.kuaidi.post("/nominations/\(id)/withdraw", [("version", "\(try await Flow.version(id, app))")])
            #expect(withdraw.status == .conflict)
            #expect(withdraw.text.contains("联盟已作出决定"))

            let noRevertReason = try await desk.admin.post("/nominations/\(id)/revert", [("reason", ""), ("version", "\(try await Flow.version(id, app))")])
            #expect(noRevertReason.fieldErrors.contains("请写明撤销决定的理由，行业党委将看到此说明。"))
            let reverted = try await desk.admin.post("/nominations/\(id)/revert", [("reason", "经复核，原决定依据有误。"), ("version", "\(try await Flow.version(id, app))")])
            #expect(reverted.status == .seeOther)
            #expect(try await Self.state(id, app) == .submitted)
            #expect(try await Self.notifications(.reverted, app).count == 1)
            #expect(try await Self.events("nomination.revert", id, app) == 1)
        }
    }

    @Test("a stale version is answered with the fresh page and a message, nothing changed")
    func staleVersion() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            let old = try await Flow.version(desk.id, app)
            // Meanwhile another administrator approved and took it back: the same state, a newer version.
            let other = try await Flow.signedIn(app, "boss2", role: .admin)
            #expect(try await Flow.approve(other, desk.id, app: app).status == .seeOther)
            #expect(try await other.post("/nominations/\(desk.id)/revert", [("reason", "重新审核"), ("version", "\(try await Flow.version(desk.id, app))")]).status == .seeOther)
            let stale = try await desk.admin.post("/nominations/\(desk.id)/reject", [("reason", "不符合条件。"), ("version", "\(old)")])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains(TransitionError.staleMessage))
            #expect(stale.text.contains("联盟已撤销此前的决定"), "the page shows what happened meanwhile")
            #expect(try await Self.state(desk.id, app) == .submitted)
            // A changed state is answered with the workflow's reason.
            #expect(try await Flow.sendBack(other, desk.id, app: app).status == .seeOther)
            let late = try await desk.admin.post("/nominations/\(desk.id)/approve", [
                ("alliance_opinion", "同意。"), ("alliance_opinion_date", "2024-05-20"), ("version", "\(old)")])
            #expect(late.status == .conflict)
            #expect(late.text.contains("此推荐已退回修改，须待行业党委重新上报后再审核。"))
        }
    }

    @Test("a failure in the middle leaves no audit event and no notification: a bulk approval is all or nothing")
    func atomic() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            let second = try await Self.submittedByAnotherCommittee(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)   // the second has no 纪检 reply
            let auditBefore = try await AuditEvent.query(on: app.db).count()
            let picked = [("ids[]", "\(desk.id):\(try await Flow.version(desk.id, app))"),
                          ("ids[]", "\(second):\(try await Flow.version(second, app))")]
            let confirm = try await desk.admin.post("/review/approve", picked + [
                ("alliance_opinion", "同意表彰。"), ("alliance_opinion_date", "2024-05-20"), ("confirm", "1")])
            #expect(confirm.status == .conflict)
            #expect(confirm.text.contains("未作任何修改：“王芳”不能通过"))
            #expect(try await Self.state(desk.id, app) == .submitted, "the first was rolled back with the second")
            #expect(try await AuditEvent.query(on: app.db).count() == auditBefore)
            #expect(try await Self.notifications(.approved, app).isEmpty)
        }
    }

    @Test("bulk approval shows the exact list and count first, then approves them in one step")
    func bulkApproval() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            let second = try await Self.submittedByAnotherCommittee(app)
            for id in [desk.id, second] { _ = try await Flow.integrity(desk.reviewer, id) }
            let queue = try await desk.admin.get("/review")
            #expect(queue.matches(of: #"name="ids\[\]" value="(\d+):\d+""#).sorted() == ["\(desk.id)", "\(second)"].sorted())
            let picked = [("ids[]", "\(desk.id):\(try await Flow.version(desk.id, app))"),
                          ("ids[]", "\(second):\(try await Flow.version(second, app))")]
            let preview = try await desk.admin.post("/review/approve", picked)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("将审核通过以下 <strong>2</strong> 个推荐"))
            #expect(preview.text.contains("张伟") && preview.text.contains("王芳"))
            #expect(try await Self.state(desk.id, app) == .submitted, "the preview changes nothing")
            #expect(try await Self.state(second, app) == .submitted)
            let done = try await desk.admin.post("/review/approve", picked + [
                ("alliance_opinion", "同意表彰。"), ("alliance_opinion_date", "2024-05-20"), ("confirm", "1")])
            #expect(done.location == "/review?approved=2")
            #expect(try await Self.state(desk.id, app) == .approved)
            #expect(try await Self.state(second, app) == .approved)
            #expect(try await Self.notifications(.approved, app).count == 2)
            // A reviewer cannot bulk-approve.
            #expect(try await desk.reviewer.post("/review/approve", picked).status == .forbidden)
        }
    }

    @Test("a 纪检 reply was given on one nominee: changing the person while returned takes it away")
    func integrityFollowsThePerson() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app)
            // The same person, another native place: the reply stands.
            _ = try await desk.kuaidi.post("/nominations/\(desk.id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(desk.id, app))"]))
            #expect(try await Nomination.find(desk.id, on: app.db)?.integrityResult == "clear")
            // Another person: the reply no longer stands, the approval waits for a new one.
            let other = Samples.idNumber(birth: "19800101", sequence: 131)
            let swapped = try await desk.kuaidi.post("/nominations/\(desk.id)", Samples.memberForm(name: "李四", id: other, overrides: [
                "version": "\(try await Flow.version(desk.id, app))"]))
            #expect(swapped.status == .seeOther)
            #expect(try await Nomination.find(desk.id, on: app.db)?.integrityResult == nil)
            try await Flow.uploadScan(desk.kuaidi, desk.id, app: app)
            _ = try await desk.kuaidi.post("/nominations/\(desk.id)/submit", [("version", "\(try await Flow.version(desk.id, app))")])
            let refused = try await Flow.approve(desk.admin, desk.id, app: app)
            #expect(refused.text.contains("尚未登记纪检部门的答复"))
            let letter = try DocxReader.read(Data(buffer: try await desk.admin.get("/integrity/letter.docx?campaign=1").body))
            #expect(letter.tables.first?.dropFirst().map { $0[1].text } == ["李四"], "the new nominee is asked about")
        }
    }

    @Test("withdrawn and then changed, a nomination is the committee's draft again: the alliance no longer sees it")
    func withdrawnAndChanged() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            _ = try await desk.kuaidi.post("/nominations/\(desk.id)/withdraw", [("version", "\(try await Flow.version(desk.id, app))")])
            #expect(try await desk.admin.get("/nominations/\(desk.id)").status == .ok, "withdrawn after it reached the alliance: still on record")
            _ = try await desk.kuaidi.post("/nominations/\(desk.id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(desk.id, app))"]))
            #expect(try await desk.admin.get("/nominations/\(desk.id)").status == .notFound)
            #expect(try await desk.admin.get("/nominations/\(desk.id)/form.docx").status == .notFound)
        }
    }

    @Test("an approval fits beside the approved and the returned ones still in their 补正期限")
    func approvalKeepsTheFixingSlot() async throws {
        // The limit lowered under the nominations in use, written directly, as the quota form refuses it.
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let committee = try await app.committeeID("市快递行业党委")
            try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == 1).filter(\.$committee.$id == committee)
                .filter(\.$category == "member").set(\.$guiding, to: 2).update()
            let desk = try await Self.desk(app)
            let second = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "李强", id: Samples.idNumber(sequence: 125)))
            #expect(try await Flow.submit(desk.kuaidi, second, app: app).status == .seeOther)
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app)
            // The limit is lowered to 1: the returned one keeps its promised slot while its 补正期限 runs.
            try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == 1).filter(\.$committee.$id == committee)
                .filter(\.$category == "member").set(\.$guiding, to: 1).update()
            _ = try await Flow.integrity(desk.reviewer, second)
            let refused = try await Flow.approve(desk.admin, second, app: app)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("已审核通过或正在补正的共 1 个，已达可报名额 1"))
        }
    }

    @Test("bulk approval offers the customary opinion to confirm")
    func bulkDefaultOpinion() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await Self.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            let preview = try await desk.admin.post("/review/approve", [("ids[]", "\(desk.id):\(try await Flow.version(desk.id, app))")])
            #expect(preview.text.contains(">同意表彰。</textarea>"))
            let empty = try await desk.admin.post("/review/approve", [("ids[]", "\(desk.id):\(try await Flow.version(desk.id, app))"),
                                                                  ("alliance_opinion", " "), ("alliance_opinion_date", "2024-05-20"), ("confirm", "1")])
            #expect(empty.fieldErrors.contains("请填写市“两新”党建联盟意见，将打印在审批表上。"))
            #expect(try await Self.state(desk.id, app) == .submitted)
        }
    }
}
