import Fluent
import Foundation
import HonorsCore
import Vapor

/// `POST /campaigns/{id}/extensions`: the administrator extends the deadline for one committee, with a reason.
extension CampaignController.Admin {
    struct ExtensionInput: Content {
        var committee_id: String?
        var until_on: String?
        var reason: String?
        var creation_key: String?
    }

    @Sendable func extend(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else { throw Abort(.notFound) }
        try campaign.requireNotClosed()
        let input = try req.content.decode(ExtensionInput.self), creationKey = CreationKey(input.creation_key)
        var errors: [String: String] = [:]
        let committee = try await Int(input.committee_id ?? "").asyncMap { try await Committee.find($0, on: req.db) } ?? nil
        if committee == nil { errors["committee_id"] = "请选择行业党委。" }
        let until = DayStamp(TextInput.halfWidth(TextInput.line(input.until_on ?? "")))
        if let until { if until <= campaign.deadline { errors["until_on"] = "延长后的日期须晚于原截止日期 \(campaign.deadline.chinese)。" } }
        else { errors["until_on"] = "请按 YYYY-MM-DD 填写日期。" }
        let reason = TextInput.block(input.reason ?? "")
        if reason.isEmpty { errors["reason"] = "请填写延期理由，将记入操作日志。" }
        else if reason.count > 500 { errors["reason"] = "延期理由最多 500 字。" }
        guard errors.isEmpty, let committee, let until else {
            let view = try await CampaignController.showView(campaign, req: req, extensionForm: [
                "committee_id": input.committee_id ?? "", "until_on": input.until_on ?? "", "reason": reason,
                "creation_key": creationKey?.value ?? "",
            ], errors: errors)
            return try await req.page("campaign", title: campaign.documentNumber, view, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now, campaignID = try campaign.requireID()
        // Sent again (a lost answer, a double click): one extension, on record once.
        _ = try await req.application.createOnce(creationKey, .deadlineExtension, by: user.id, on: req.db, now: now) { db in
            let grant = DeadlineExtension()
            grant.$campaign.id = campaignID
            grant.$committee.id = try committee.requireID()
            grant.untilOn = until.description
            grant.reason = reason
            grant.grantedBy = user.username
            try await grant.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "deadline.extend", objectType: "campaign",
                                   objectID: "\(campaignID)", objectLabel: "\(campaign.documentNumber) \(committee.name)",
                                   committeeID: committee.id,
                                   changes: [FieldChange("deadline", old: campaign.deadlineOn, new: until.description),
                                             FieldChange("reason", old: nil, new: reason)], at: now)
            return try grant.requireID()
        }
        return req.redirect(to: "/campaigns/\(campaignID)?notice=extended")
    }
}
