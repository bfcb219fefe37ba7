@testable import App
import Fluent
import HonorsCore
import Testing
import Vapor
import VaporTesting

@Suite("Over-quota requests")
struct QuotaRequestTests {
    @Test("approvals at once, by two administrators, each add their grant: nothing is lost")
    func grantsAtOnce() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            for extra in 1...4 {
                let created = try await kuaidi.post("/quota-requests", [
                    ("category", "member"), ("extra", "\(extra)"), ("reason", "本党委另有同志事迹特别突出，申请增加名额（\(extra)）。"),
                ])
                #expect(created.status == .seeOther)
            }
            let admins = try await [Flow.signedIn(app, "boss", role: .admin), Flow.signedIn(app, "chief", role: .admin)]
            let requests = try await QuotaRequest.query(on: app.db).all()
            let before = try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == 3).filter(\.$category == "member")
                .first()?.granted ?? 0
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (n, request) in requests.enumerated() {
                    group.addTask {
                        try await admins[n % 2].post("/quota-requests/\(request.id!)/decide",
                                                     [("decision", "approve"), ("note", "同意"), ("version", "1")]).status
                    }
                }
                for try await status in group { #expect(status == .seeOther) }
            }
            let quota = try #require(try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == 3)
                .filter(\.$category == "member").first())
            #expect(quota.granted == before + 10, "1 + 2 + 3 + 4 added")
        }
    }

    @Test("an approved request raises the committee's limit; both sides see the decision")
    func approve() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")

            let refused = try await kuaidi.post("/quota-requests", [("category", "member"), ("extra", "0"), ("reason", "短")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fieldErrors.count == 2)
            #expect(try await QuotaRequest.query(on: app.db).count() == 0)

            let created = try await kuaidi.post("/quota-requests", [
                ("category", "member"), ("extra", "１"), ("reason", "本党委另有一名同志在疫情期间坚守一线，事迹特别突出。"),
            ])
            #expect(created.status == .seeOther)
            let request = try #require(try await QuotaRequest.query(on: app.db).first())
            #expect(request.extra == 1)

            // Only the administrator decides.
            #expect(try await kuaidi.post("/quota-requests/\(request.id!)/decide",
                                          [("decision", "approve"), ("version", "1")]).status == .forbidden)
            let decided = try await admin.post("/quota-requests/\(request.id!)/decide",
                                               [("decision", "approve"), ("note", "同意"), ("version", "1")])
            #expect(decided.status == .seeOther)
            let again = try await admin.post("/quota-requests/\(request.id!)/decide",
                                             [("decision", "approve"), ("note", "同意"), ("version", "1")])
            #expect(again.status == .conflict, "a second approval does not grant twice")
            let quota = try #require(try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == 3)
                .filter(\.$category == "member").first())
            #expect(quota.granted == 1)
            let page = try await kuaidi.get("/quota-requests")
            #expect(page.text.contains("已批准"))
            #expect(page.text.contains("boss 于"))
            let dashboard = try await kuaidi.get("/")
            #expect(dashboard.text.contains("data-category=\"member\" data-guiding=\"1\" data-granted=\"1\""))
        }
    }

    @Test("a refusal needs a note and changes no quota; other committees do not see the request")
    func refuse() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            _ = try await kuaidi.post("/quota-requests", [("category", "org"), ("extra", "2"), ("reason", "两个党支部都很突出，请求增加名额。")])
            let request = try #require(try await QuotaRequest.query(on: app.db).first())
            let noNote = try await admin.post("/quota-requests/\(request.id!)/decide", [("decision", "refuse"), ("version", "1")])
            #expect(noNote.status == .unprocessableEntity)
            _ = try await admin.post("/quota-requests/\(request.id!)/decide",
                                     [("decision", "refuse"), ("note", "名额已满"), ("version", "1")])
            #expect(try await QuotaRequest.find(request.id, on: app.db)?.state == "refused")
            #expect(try await CampaignQuota.query(on: app.db).all().map(\.granted).reduce(0, +) == 0)
            #expect(try await kuaidi.get("/quota-requests").text.contains("名额已满"))
            #expect(!(try await wuye.get("/quota-requests").text.contains("两个党支部")))
        }
    }
}
