@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

@Suite("Notifications")
struct NotificationTests {
    @Test("a committee's operators are told of a return; the header counts unread; reading marks them")
    func readAndCount() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let colleague = try await Flow.signedIn(app, "kuaidi2", role: .committee, committee: "市快递行业党委")
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app)
            for browser in [desk.kuaidi, colleague] {
                let page = try await browser.get("/notifications")
                #expect(page.text.contains("退回修改：张伟"))
                #expect(page.text.contains(#"aria-label="未读 1 条""#))
            }
            // Nothing for the alliance or another committee.
            #expect(!(try await desk.admin.get("/notifications").text.contains("退回修改：张伟")))
            let mine = try #require(try await App.Notification.query(on: app.db).join(User.self, on: \App.Notification.$userID == \User.$id)
                .filter(User.self, \.$username == "kuaidi").first())
            let other = try #require(try await App.Notification.query(on: app.db).join(User.self, on: \App.Notification.$userID == \User.$id)
                .filter(User.self, \.$username == "kuaidi2").first())
            #expect(try await desk.kuaidi.post("/notifications/\(other.id!)/read").status == .notFound, "another's notification")
            let read = try await desk.kuaidi.post("/notifications/\(mine.id!)/read")
            #expect(read.location == "/nominations/\(desk.id)")
            #expect(!(try await desk.kuaidi.get("/").text.contains(#"id="unread-count""#)))
            #expect(try await colleague.get("/").text.contains(#"id="unread-count""#), "each person reads their own")
            _ = try await colleague.post("/notifications/read-all")
            #expect(try await App.Notification.query(on: app.db).filter(\.$userID == other.userID).filter(\.$readAt == nil).count() == 0)
            #expect(!(try await colleague.get("/").text.contains(#"id="unread-count""#)), "the header counts again on the next page")
        }
    }

    @Test("an over-quota request decided is told to the committee, in the same write as the decision")
    func quotaDecided() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Flow.signedIn(app, "kuaidi", role: .committee, committee: "市快递行业党委")
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            _ = try await kuaidi.post("/quota-requests", [("category", "member"), ("extra", "1"), ("reason", "本党委有一名特别优秀的快递员，事迹突出。")])
            let request = try #require(try await QuotaRequest.query(on: app.db).first())
            let decided = try await admin.post("/quota-requests/\(request.id!)/decide", [("decision", "approve"), ("note", "同意"), ("version", "\(request.version)")])
            #expect(decided.status == .seeOther)
            let notices = try await App.Notification.query(on: app.db).filter(\.$kind == "quota_decided").all()
            #expect(notices.count == 1)
            #expect(notices.first?.body.contains("可报名额增加 1") == true)
            // Deciding again is refused and tells nobody twice.
            _ = try await admin.post("/quota-requests/\(request.id!)/decide", [("decision", "refuse"), ("note", "x"), ("version", "\(request.version)")])
            #expect(try await App.Notification.query(on: app.db).filter(\.$kind == "quota_decided").count() == 1)
        }
    }

    @Test("reminders by time: the deadline 3 days ahead and a 补正期限 tomorrow, each made once")
    func reminders() async throws {
        try await withHonorsApp { app, clock in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app, fixBy: "2024-05-28")
            clock.set(DayStamp("2024-05-20")!.start.addingTimeInterval(12 * 3600))
            try await ReminderSweep.run(app, now: clock.now())
            #expect(try await App.Notification.query(on: app.db).filter(\.$kind == "deadline_soon").count() == 0, "10 days ahead: nothing yet")
            clock.set(DayStamp("2024-05-27")!.start.addingTimeInterval(12 * 3600))
            try await ReminderSweep.run(app, now: clock.now())
            try await ReminderSweep.run(app, now: clock.now())
            let deadline = try await App.Notification.query(on: app.db).filter(\.$kind == "deadline_soon").all()
            // One per operator of each committee with a quota; kuaidi is the only operator here.
            #expect(deadline.count == 1)
            #expect(deadline.first?.title.contains("还有 3 天") == true)
            let fix = try await App.Notification.query(on: app.db).filter(\.$kind == "fix_due").all()
            #expect(fix.count == 1)
            #expect(fix.first?.body.contains("2024年5月28日") == true)
            clock.set(DayStamp("2024-05-29")!.start.addingTimeInterval(12 * 3600))
            try await ReminderSweep.run(app, now: clock.now())
            #expect(try await App.Notification.query(on: app.db).filter(\.$kind == "deadline_soon").count() == 1, "one reminder per deadline, not one a day")
            // An extension is a new deadline: reminded again when it comes near.
            let admin = try await Flow.signedIn(app, "boss3", role: .admin)
            _ = try await admin.post("/campaigns/1/extensions", [("committee_id", "3"), ("until_on", "2024-06-07"), ("reason", "材料盖章需要时间")])
            clock.set(DayStamp("2024-06-05")!.start.addingTimeInterval(12 * 3600))
            try await ReminderSweep.run(app, now: clock.now())
            let titles = try await App.Notification.query(on: app.db).filter(\.$kind == "deadline_soon").all().map(\.body)
            #expect(titles.count == 2 && titles.contains { $0.contains("2024年6月7日") })
        }
    }
}
