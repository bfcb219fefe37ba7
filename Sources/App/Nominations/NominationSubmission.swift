import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// 上报 and 撤回: the state changes that use or free a quota slot.
extension NominationService {
    struct Opinion: Sendable {
        var text: String
        var signer: String
        var date: String
    }

    enum SubmitResult {
        case submitted
        /// Field key → message (opinion fields, or `form` for the nomination as a whole).
        case refused([String: String])
        case quotaFull(used: Int, limit: Int)
        case stale
    }

    /// Checks the opinion block the committee signs when it submits.
    static func checkOpinion(_ opinion: inout Opinion, today: Date) -> [String: String] {
        var errors: [String: String] = [:]
        opinion.text = TextInput.block(opinion.text)
        opinion.signer = TextInput.line(opinion.signer)
        opinion.date = TextInput.halfWidth(TextInput.line(opinion.date))
        if opinion.text.isEmpty { errors["committee_opinion"] = "请填写行业党委意见。" }
        else if opinion.text.count > 500 { errors["committee_opinion"] = "行业党委意见最多 500 字，现有 \(opinion.text.count) 字。" }
        if opinion.signer.isEmpty { errors["committee_signer"] = "请填写签字的行业党委书记姓名。" }
        else if opinion.signer.count > 30 { errors["committee_signer"] = "姓名最多 30 个字。" }
        if let day = DayStamp(opinion.date) {
            if day > DayStamp(today) { errors["committee_opinion_date"] = "日期不能晚于今天。" }
        } else {
            errors["committee_opinion_date"] = "请按 YYYY-MM-DD 填写日期。"
        }
        return errors
    }

    /// Whether the committee may no longer change nominations of the campaign: past the deadline and any
    /// extension granted to it.
    func deadlinePassed(_ campaign: Campaign, committeeID: Int) async throws -> Bool {
        now >= (try await campaign.deadlineEnd(for: committeeID, on: db))
    }

    func submit(_ nomination: Nomination, campaign: Campaign, opinion: Opinion, expectedVersion: Int) async throws -> SubmitResult {
        guard nomination.stateValue.isEditableByCommittee else { return .refused(["form": "此推荐已上报，不能重复上报。"]) }
        if try await deadlinePassed(campaign, committeeID: nomination.$committee.id) {
            return .refused(["form": "已过报送截止时间（\(campaign.deadline.chinese)），不能再上报。"])
        }
        var opinion = opinion
        var errors = Self.checkOpinion(&opinion, today: now)
        let result = try await check(try storedInput(nomination), campaign: campaign, excluding: nomination.id)
        if !result.isComplete {
            errors["form"] = "推荐材料还不完整或有错误，请先修改后再上报（见页面上方的清单）。"
        }
        guard errors.isEmpty else { return .refused(errors) }

        let id = try nomination.requireID(), campaignID = try campaign.requireID()
        let committeeID = nomination.$committee.id, category = nomination.category
        var values = nomination.values
        values["committee_opinion"] = opinion.text
        values["committee_signer"] = opinion.signer
        values["committee_opinion_date"] = opinion.date
        let data = Nomination.encoded(values)
        let actor = self.actor, now = self.now, username = user.username, signed = opinion

        return try await app.write(on: db) { db -> SubmitResult in
            // The quota row is the lock both racers need: on PostgreSQL the second waits here until the
            // first commits, then counts again. On SQLite writers already run one at a time.
            let limit: Int
            if let sql = db as? any SQLDatabase, !db.isSQLite {
                let row = try await sql.raw("""
                    SELECT guiding, granted FROM campaign_quotas
                    WHERE campaign_id = \(bind: campaignID) AND committee_id = \(bind: committeeID) AND category = \(bind: category)
                    FOR UPDATE
                    """).first()
                limit = try (row?.decode(column: "guiding", as: Int.self) ?? 0) + (row?.decode(column: "granted", as: Int.self) ?? 0)
            } else {
                let quota = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == campaignID)
                    .filter(\.$committee.$id == committeeID).filter(\.$category == category).first()
                limit = (quota?.guiding ?? 0) + (quota?.granted ?? 0)
            }
            let used = try await QuotaUsage.used(campaignID: campaignID, committeeID: committeeID, category: category, on: db)
            guard used < limit else { return .quotaFull(used: used, limit: limit) }
            guard try await db.claimVersion(of: Nomination.schema, id: id, expected: expectedVersion) else { return .stale }
            try await Nomination.query(on: db).filter(\.$id == id)
                .set(\.$state, to: NominationState.submitted.rawValue).set(\.$data, to: data)
                .set(\.$submittedAt, to: now).set(\.$submittedBy, to: username).update()
            try await Audit.record(on: db, actor: actor, action: "nomination.submit", objectType: "nomination",
                                   objectID: "\(id)", objectLabel: nomination.displayName, committeeID: committeeID,
                                   changes: [FieldChange("state", old: nomination.state, new: "submitted"),
                                             FieldChange("committee_opinion", old: nil, new: signed.text),
                                             FieldChange("committee_signer", old: nil, new: signed.signer),
                                             FieldChange("committee_opinion_date", old: nil, new: signed.date)],
                                   at: now)
            return .submitted
        }
    }

    /// Thrown inside a write to roll back a version already claimed.
    struct StaleVersion: Error {}

    /// Takes a submitted nomination back while the alliance has not decided; the slot is freed.
    func withdraw(_ nomination: Nomination, expectedVersion: Int) async throws -> Bool {
        guard nomination.stateValue.canWithdraw else { return false }
        let id = try nomination.requireID()
        let actor = self.actor, now = self.now
        do {
            return try await app.write(on: db) { db in
                guard try await db.claimVersion(of: Nomination.schema, id: id, expected: expectedVersion),
                      try await Nomination.find(id, on: db)?.state == NominationState.submitted.rawValue
                else { throw StaleVersion() }
                try await Nomination.query(on: db).filter(\.$id == id)
                    .set(\.$state, to: NominationState.withdrawn.rawValue).update()
                try await Audit.record(on: db, actor: actor, action: "nomination.withdraw", objectType: "nomination",
                                       objectID: "\(id)", objectLabel: nomination.displayName,
                                       committeeID: nomination.$committee.id,
                                       changes: [FieldChange("state", old: "submitted", new: "withdrawn")], at: now)
                return true
            }
        } catch is StaleVersion {
            return false  // Rolled back: the version claimed above is undone with it.
        }
    }
}
