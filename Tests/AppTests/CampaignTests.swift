@testable import App
import Fluent
import HonorsCore
import Testing
import Vapor
import VaporTesting

@Suite("Campaigns")
struct CampaignTests {
    static func copyForm(_ overrides: [String: String] = [:]) -> [(String, String)] {
        var fields = [
            "title": "关于开展全市“两新”党建联盟 2024年度“两优一先”推荐表彰活动的通知",
            "document_number": "鄂党联发〔2025〕3号", "award_year": "2024",
            "issued_on": "2025-05-10", "deadline_on": "2025-05-31", "contact_unit": "市互联网行业党委",
            "contact_person": "", "contact_phone": "", "contact_email": "",
            "deeds_target": "1200", "deeds_tolerance_pct": "20", "deeds_min_pct": "50", "deeds_max_pct": "300",
            "member_worker_exclusive": "1",
        ]
        for (k, v) in overrides { fields[k] = v }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    @Test("copying a campaign keeps quotas and settings, takes new dates, and the dashboard follows the open one")
    func copyCampaign() async throws {
        try await withHonorsApp(at: Date(timeIntervalSince1970: 1_747_000_000)) { app, _ in  // 2025-05-12
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            let response = try await admin.post("/campaigns/1/copy", Self.copyForm())
            #expect(response.status == .seeOther)
            let copy = try #require(try await Campaign.query(on: app.db).filter(\.$documentNumber == "鄂党联发〔2025〕3号").first())
            #expect(copy.deadlineOn == "2025-05-31")
            #expect(copy.deedsTarget == 1200)
            let quotas = try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == copy.id!).all()
            #expect(quotas.count == 18)
            #expect(quotas.map(\.guiding).reduce(0, +) == 24)
            let dashboard = try await admin.get("/")
            #expect(dashboard.text.contains("鄂党联发〔2025〕3号"))
            #expect(dashboard.text.contains("报送中"))
            #expect(dashboard.text.contains("href=\"/campaigns/1\""), "the older campaign is a click away")
            #expect(copy.rotatingUnit == Notice2024.rotatingUnit, "a form without the field keeps the rotating unit copied")
        }
    }

    @Test("the year's rotating executive unit is shown, offered on the copy form for next year, and changed on record")
    func rotatingUnit() async throws {
        try await withHonorsApp(at: Date(timeIntervalSince1970: 1_747_000_000)) { app, _ in  // 2025-05-12
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            #expect(try await admin.get("/campaigns/1").text.contains(#"id="rotating-unit">市个私党委<"#))
            #expect(try await admin.get("/campaigns/1/copy").text.contains(#"name="rotating_unit" value="市个私党委""#))
            let long = try await admin.post("/campaigns/1/copy", Self.copyForm(["rotating_unit": String(repeating: "党", count: 101)]))
            #expect(long.status == .unprocessableEntity && long.fieldErrors.contains("轮值常务理事单位最多 100 个字。"))
            let copied = try await admin.post("/campaigns/1/copy", Self.copyForm(["rotating_unit": " 市互联网行业党委 "]))
            #expect(copied.status == .seeOther)
            let copy = try #require(try await Campaign.query(on: app.db).filter(\.$documentNumber == "鄂党联发〔2025〕3号").first())
            #expect(copy.rotatingUnit == "市互联网行业党委")
            #expect(try await Campaign.find(1, on: app.db)?.rotatingUnit == "市个私党委", "last year's stays")

            // Edited in place too, on record.
            var edit = Self.copyForm(["rotating_unit": "市物业行业党委", "document_number": "鄂党联发〔2025〕3号"])
            edit.append(("version", "\(copy.version)"))
            #expect(try await admin.post("/campaigns/\(try copy.requireID())", edit).status == .seeOther)
            #expect(try await Campaign.find(try copy.requireID(), on: app.db)?.rotatingUnit == "市物业行业党委")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "campaign.update").first())
            #expect(event.fieldChanges.contains { $0.field == "rotating_unit" && $0.new == "市物业行业党委" })
        }
    }

    @Test("a copy with a used document number or impossible dates is refused with the typed values kept")
    func copyValidation() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            let response = try await admin.post("/campaigns/1/copy", Self.copyForm([
                "document_number": "鄂党联发〔2024〕4号", "issued_on": "2025-02-30", "deadline_on": "2025-01-01",
            ]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.contains("文号“鄂党联发〔2024〕4号”已被其他活动使用。"))
            #expect(response.fieldErrors.contains("请按 YYYY-MM-DD 填写真实存在的日期。"))
            #expect(response.text.contains("value=\"市互联网行业党委\""))
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test("a stale campaign edit is refused and the typed text kept")
    func staleEdit() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            let form = Self.copyForm(["document_number": "鄂党联发〔2024〕4号", "version": "1"])
            #expect(try await admin.post("/campaigns/1", form).status == .seeOther)
            let stale = try await admin.post("/campaigns/1", Self.copyForm([
                "document_number": "鄂党联发〔2024〕4号", "version": "1", "contact_unit": "我的修改",
            ]))
            #expect(stale.status == .unprocessableEntity || stale.status == .conflict)
            #expect(stale.text.contains("已被他人修改"))
            #expect(stale.text.contains("value=\"我的修改\""))
            #expect(try await Campaign.find(1, on: app.db)?.contactUnit == "市互联网行业党委")
        }
    }

    @Test("quota input must be whole numbers from 0 to 99")
    func quotaValidation() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            var form: [(String, String)] = [("version", "1")]
            for quota in try await CampaignQuota.query(on: app.db).all() {
                form.append(("q_\(quota.$committee.id)_\(quota.category)", quota.$committee.id == 2 ? "-1" : "２"))
            }
            let response = try await admin.post("/campaigns/1/quotas", form)
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.count == 3)
            #expect(try await CampaignQuota.query(on: app.db).all().map(\.guiding).reduce(0, +) == 24)
        }
    }
}
