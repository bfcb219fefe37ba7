import Fluent
import Foundation
import HonorsCore
import Vapor

/// `honors demo --nominations N`: an open campaign (the notice's, deadline 30 days ahead), one operator per
/// committee, and N synthetic nominations spread over committees, categories and states. For trying and
/// measuring Honors; never on a real data folder.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "nominations", help: "how many synthetic nominations to add (default 50)") var nominations: Int?
    }

    let help = "添加演示数据 (add a demo campaign, accounts and synthetic nominations)"
    static let documentNumber = "演示〔试用〕1号"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = max(0, signature.nominations ?? 50)
        let campaign = try await demoCampaign(app)
        let campaignID = try campaign.requireID()
        let committees = try await Committee.query(on: app.db).filter(\.$active == true).sort(\.$sortOrder).all()
        context.console.info("演示活动：\(campaign.documentNumber)，报送截止 \(campaign.deadline.chinese)")

        for (index, committee) in committees.enumerated() {
            let username = "demo\(index + 1)"
            if try await User.query(on: app.db).filter(\.$username == username).count() > 0 {
                context.console.print("账号 \(username)（\(committee.name)）已存在")
                continue
            }
            let password = AccountService.temporaryPassword()
            _ = try await AccountService(app: app, actor: .commandLine(), now: app.clock.now()).create(
                username: username, displayName: "\(committee.name)经办人", role: .committee, committee: committee,
                passwordHash: try await app.password.async.hash(password), mustChangePassword: false)
            context.console.print("账号 \(username) / \(password)（\(committee.name)）")
        }

        var data = DemoData()
        var limits: [String: Int] = [:]
        for quota in try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == campaignID).all() {
            limits["\(quota.$committee.id)-\(quota.category)"] = quota.guiding + quota.granted
        }
        var used: [String: Int] = [:]
        let now = app.clock.now()
        let batch = 200
        var made = 0
        while made < count {
            var rows: [Nomination] = []
            for _ in 0..<min(batch, count - made) {
                let committee = committees[made % committees.count]
                let category = NominationCategory.allCases[(made / committees.count) % 3]
                let key = "\(committee.id!)-\(category.rawValue)"
                // Submitted while the committee has slots; the rest drafts, some withdrawn.
                let state: NominationState = used[key, default: 0] < limits[key, default: 0]
                    ? .submitted : (made % 5 == 0 ? .withdrawn : .draft)
                if state == .submitted { used[key, default: 0] += 1 }
                rows.append(try nomination(&data, category: category, state: state, campaignID: campaignID,
                                           committeeID: committee.id!, app: app, now: now))
                made += 1
            }
            let ready = rows
            try await app.write { db in
                for row in ready { try await row.create(on: db) }
            }
            context.console.print("已生成 \(made) / \(count) 条推荐")
        }
        context.console.info("完成。")
    }

    private func demoCampaign(_ app: Application) async throws -> Campaign {
        if let existing = try await Campaign.query(on: app.db).filter(\.$documentNumber == Self.documentNumber).first() {
            return existing
        }
        guard let source = try await Campaign.query(on: app.db).filter(\.$documentNumber == Notice2024.documentNumber).first()
        else { throw Abort(.internalServerError, reason: "the seeded campaign is missing") }
        let today = DayStamp(app.clock.now())
        let campaign = Campaign(copying: source)
        campaign.documentNumber = Self.documentNumber
        campaign.title = "（演示）" + source.title
        campaign.issuedOn = today.description
        campaign.deadlineOn = DayStamp(today.start.addingTimeInterval(30 * 86_400)).description
        try await app.write { db in
            try await campaign.create(on: db)
            for quota in try await CampaignQuota.query(on: db).filter(\.$campaign.$id == source.id!).all() {
                try await CampaignQuota(campaignID: campaign.id!, committeeID: quota.$committee.id,
                                        category: quota.category, guiding: quota.guiding).create(on: db)
            }
            try await Audit.record(on: db, actor: .commandLine(), action: "campaign.create", objectType: "campaign",
                                   objectID: campaign.id.map(String.init), objectLabel: campaign.documentNumber,
                                   changes: [FieldChange("copied_from", old: nil, new: source.documentNumber)],
                                   at: app.clock.now())
        }
        return campaign
    }

    private func nomination(_ data: inout DemoData, category: NominationCategory, state: NominationState,
                            campaignID: Int, committeeID: Int, app: Application, now: Date) throws -> Nomination {
        var values = data.values(for: category)
        let nomination = Nomination()
        nomination.version = 1
        nomination.$campaign.id = campaignID
        nomination.$committee.id = committeeID
        nomination.category = category.rawValue
        nomination.state = state.rawValue
        nomination.displayName = values[category.isPerson ? "name" : "org_name"] ?? ""
        if let id = values.removeValue(forKey: "id_number") {
            nomination.idNumberSealed = try app.secrets.seal(id)
            nomination.idHash = app.secrets.keyedHash(id)
        }
        if let phone = values.removeValue(forKey: "phone") { nomination.phoneSealed = try app.secrets.seal(phone) }
        if state == .submitted {
            values["committee_opinion"] = "同意推荐。"
            values["committee_signer"] = "演示书记"
            values["committee_opinion_date"] = DayStamp(now).description
            nomination.submittedAt = now
            nomination.submittedBy = "demo"
        }
        nomination.values = values
        nomination.attestationRecords = category.isPerson
            ? Dictionary(uniqueKeysWithValues: NominationForm.attestations.map { ($0.key, .init(by: "demo", at: now)) })
            : [:]
        return nomination
    }
}
