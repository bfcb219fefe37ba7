@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// 曾获表彰 across years: honours of closed campaigns are offered for 受表彰情况 when the same person (ID number)
/// or organisation (name and unit) is entered again, and a repeat within three years is flagged on the queue.
@Suite("Honours across years")
struct PastHonoursTests {
    static let person = Samples.idNumber(sequence: 517)

    /// Last year's campaign (the seeded one, 2023年度) closed with 张伟 and the 顺丰 branch commended, and
    /// this year's copy open for entries on 2025-05-12.
    static func lastYear(_ app: Application, awardYear: Int = 2023) async throws -> Browser {
        let kuaidi = try await app.committeeID("市快递行业党委")
        let zhang = try await app.makeNomination(committee: kuaidi, name: "张伟", state: .commended)
        try await app.seal(zhang, idNumber: Self.person)
        let org = try await app.makeNomination(committee: kuaidi, category: "org", name: "顺丰速运鄂尔多斯分公司党支部", state: .commended)
        try await Nomination.query(on: app.db).filter(\.$id == org)
            .set(\.$data, to: Nomination.encoded(["org_name": "顺丰速运鄂尔多斯分公司党支部", "org_unit": "顺丰速运鄂尔多斯分公司"])).update()
        let commendation = Commendation()
        commendation.version = 1
        commendation.$campaign.id = 1
        commendation.number = "鄂党联发〔2024〕5号"
        commendation.title = "关于表彰2023年度“两优一先”的决定"
        commendation.preamble = "决定表彰。"
        commendation.issuingBody = Notice2024.issuingBody
        commendation.issuedOn = "2024-06-28"
        commendation.issuedBy = "admin"
        commendation.issuedAt = app.clock.now()
        try await commendation.create(on: app.db)
        try await Campaign.query(on: app.db).filter(\.$id == 1).set(\.$closedAt, to: app.clock.now())
            .set(\.$awardYear, to: awardYear).update()

        try await app.makeUser("boss", role: .admin)
        let admin = Browser(app)
        try await admin.signIn("boss")
        let copied = try await admin.post("/campaigns/1/copy", CampaignTests.copyForm())
        #expect(copied.status == .seeOther, "next year's campaign is a copy of a closed one")
        return admin
    }

    @Test("the same person or organisation entered next year is offered last year's honour for 受表彰情况")
    func offered() async throws {
        try await withHonorsApp(at: Date(timeIntervalSince1970: 1_747_000_000)) { app, _ in  // 2025-05-12
            _ = try await Self.lastYear(app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let again = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Self.person))
            let form = try await kuaidi.get("/nominations/\(again)/edit")
            #expect(form.text.contains("系统记录的表彰："))
            #expect(form.text.contains("2023年度“优秀共产党员”（鄂党联发〔2024〕5号）"))
            #expect(try await Nomination.find(again, on: app.db)?.$campaign.id != 1)

            let other = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李强", id: Samples.idNumber(sequence: 519)))
            #expect(!(try await kuaidi.get("/nominations/\(other)/edit")).text.contains("系统记录的表彰"), "another person: nothing")

            let branch = try await NominationTests.create(kuaidi, Samples.form(for: .org))
            #expect(try await kuaidi.get("/nominations/\(branch)/edit").text.contains("2023年度“先进基层党组织”"))
            let elsewhere = try await kuaidi.post("/nominations", Samples.form(for: .org).map {
                $0.0 == "org_unit" ? ($0.0, "顺丰速运伊金霍洛旗分公司") : $0
            })
            let elsewhereID = try #require(elsewhere.location.flatMap { Int($0.split(separator: "/")[1]) })
            #expect(!(try await kuaidi.get("/nominations/\(elsewhereID)/edit")).text.contains("系统记录的表彰"),
                    "the same name in another unit is another organisation")
        }
    }

    @Test("a repeat within three years is flagged to the alliance on the review queue; an older honour is not")
    func flagged() async throws {
        for (lastAward, flagged) in [(2023, true), (2020, false)] {
            try await withHonorsApp(at: Date(timeIntervalSince1970: 1_747_000_000)) { app, _ in
                let admin = try await Self.lastYear(app, awardYear: lastAward)
                let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
                let again = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Self.person))
                #expect(try await Flow.submit(kuaidi, again, app: app).status == .seeOther)
                // The same branch again, and a branch of the same name in another unit: another organisation.
                let branch = try await NominationTests.create(kuaidi, Samples.form(for: .org))
                let elsewhere = try #require(try await kuaidi.post("/nominations", Samples.form(for: .org).map {
                    $0.0 == "org_unit" ? ($0.0, "顺丰速运伊金霍洛旗分公司") : $0
                }).location.flatMap { Int($0.split(separator: "/")[1]) })
                let campaign = try #require(try await Nomination.find(again, on: app.db)).$campaign.id
                try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == campaign).filter(\.$category == "org")
                    .set(\.$guiding, to: 5).update()
                for id in [branch, elsewhere] { #expect(try await Flow.submit(kuaidi, id, app: app).status == .seeOther) }
                let queue = try await admin.get("/review?campaign=\(campaign)")
                #expect(queue.text.contains("张伟"))
                func cell(_ id: Int) -> String {
                    queue.matches(of: #"href="/nominations/\#(id)">(.*?)</td>"#).first ?? ""
                }
                #expect(cell(again).contains("近三年曾获表彰") == flagged, "last honoured for \(lastAward)")
                #expect(cell(branch).contains("近三年曾获表彰") == flagged, "the branch, last honoured for \(lastAward)")
                #expect(!cell(elsewhere).isEmpty && !cell(elsewhere).contains("近三年曾获表彰"))
            }
        }
    }
}
