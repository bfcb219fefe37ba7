import Fluent
import Foundation
import HonorsCore
import Vapor

/// The administrator's quota table editor: `GET /campaigns/{id}/quotas/edit`, `POST /campaigns/{id}/quotas`.
extension CampaignController.Admin {
    struct QuotaInputCell: Encodable {
        let name: String
        let category: String
        let value: String
        let error: String?
    }

    struct QuotaInputRow: Encodable {
        let committeeName: String
        let cells: [QuotaInputCell]
    }

    struct QuotaFormView: Encodable {
        let id: Int
        let documentNumber: String
        let version: Int
        let columns: [QuotaTable.Column]
        let rows: [QuotaInputRow]
        let errors: [String: String]
    }

    static func fieldName(committeeID: Int, category: String) -> String { "q_\(committeeID)_\(category)" }

    private func quotaView(_ campaign: Campaign, typed: [String: String]?, errors: [String: String],
                           version: Int? = nil, on db: any Database) async throws -> QuotaFormView {
        let id = try campaign.requireID()
        let committees = try await Committee.query(on: db).filter(\.$active == true).sort(\.$sortOrder).all()
        let quotas = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == id).all()
        let current = Dictionary(quotas.map { (Self.fieldName(committeeID: $0.$committee.id, category: $0.category), $0.guiding) },
                                 uniquingKeysWith: { a, _ in a })
        let categories = NominationCategory.quotaTableOrder
        let rows = try committees.map { committee in
            let committeeID = try committee.requireID()
            return QuotaInputRow(committeeName: committee.name, cells: categories.map { category in
                let name = Self.fieldName(committeeID: committeeID, category: category.rawValue)
                return QuotaInputCell(name: name, category: category.rawValue,
                                      value: typed?[name] ?? "\(current[name] ?? 0)", error: errors[name])
            })
        }
        return QuotaFormView(id: id, documentNumber: campaign.documentNumber, version: version ?? campaign.version,
                             columns: categories.map { .init(key: $0.rawValue, label: $0.label) }, rows: rows,
                             errors: errors)
    }

    @Sendable func quotaForm(req: Request) async throws -> View {
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else {
            throw Abort(.notFound)
        }
        try campaign.requireNotClosed()
        return try await req.page("quota-form", title: "修改推荐名额",
                                  try await quotaView(campaign, typed: nil, errors: [:], on: req.db))
    }

    @Sendable func saveQuotas(req: Request) async throws -> Response {
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else {
            throw Abort(.notFound)
        }
        try campaign.requireNotClosed()
        let id = try campaign.requireID()
        let typed = try req.content.decode([String: String].self)
        let expected = Int(typed["version"] ?? "") ?? -1
        let committees = try await Committee.query(on: req.db).filter(\.$active == true).sort(\.$sortOrder).all()
        var values: [(committee: Committee, category: String, guiding: Int)] = []
        var errors: [String: String] = [:]
        for committee in committees {
            for category in NominationCategory.quotaTableOrder {
                let name = Self.fieldName(committeeID: try committee.requireID(), category: category.rawValue)
                let text = TextInput.halfWidth(TextInput.line(typed[name] ?? ""))
                if let number = Int(text), (0...99).contains(number) {
                    values.append((committee, category.rawValue, number))
                } else {
                    errors[name] = "须为 0–99 的整数"
                }
            }
        }
        if errors.isEmpty, expected != campaign.version {
            errors["version"] = "名额表已被他人修改，您的修改未保存。下方保留了您填写的数字，请核对后重新保存。"
        }
        guard errors.isEmpty else {
            let view = try await quotaView(campaign, typed: typed, errors: errors, on: req.db)
            return try await req.page("quota-form", title: "修改推荐名额", view, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now, changes = values
        let saved: Bool
        do {
            saved = try await req.write { db -> Bool in
                // Bumping the campaign's version claims the table: a second editor's stale save is refused.
                guard try await db.claimVersion(of: Campaign.schema, id: id, expected: expected) else { return false }
                let existing = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == id).all()
                for value in changes {
                    let committeeID = try value.committee.requireID()
                    let row = existing.first { $0.$committee.id == committeeID && $0.category == value.category }
                    let old = row?.guiding ?? 0
                    guard old != value.guiding else { continue }
                    // A limit is never lowered below the slots in use, counted under the quota row's lock.
                    if value.guiding < old {
                        _ = try await QuotaLock.limit(campaignID: id, committeeID: committeeID, category: value.category, on: db)
                        let used = try await QuotaUsage.count(campaignID: id, committeeID: committeeID, category: value.category,
                                                              excluding: nil, where: QuotaUsage.occupying(at: now), on: db)
                        let granted = row?.granted ?? 0
                        guard value.guiding + granted >= used else {
                            throw BelowUse(field: Self.fieldName(committeeID: committeeID, category: value.category),
                                           message: "已占用 \(used) 个名额\(granted > 0 ? "（含超额批准 \(granted)）" : "")，指导名额不能低于 \(max(0, used - granted))")
                        }
                    }
                    if let row {
                        row.guiding = value.guiding
                        try await row.save(on: db)
                    } else {
                        try await CampaignQuota(campaignID: id, committeeID: committeeID, category: value.category,
                                                guiding: value.guiding).create(on: db)
                    }
                    let label = NominationCategory(rawValue: value.category)?.label ?? value.category
                    try await Audit.record(on: db, actor: actor, action: "quota.update", objectType: "campaign",
                                           objectID: "\(id)", objectLabel: "\(campaign.documentNumber) \(value.committee.name) \(label)",
                                           committeeID: committeeID,
                                           changes: [FieldChange("guiding", old: "\(old)", new: "\(value.guiding)")], at: now)
                }
                return true
            }
        } catch let below as BelowUse {
            let view = try await quotaView(campaign, typed: typed, errors: [below.field: below.message], on: req.db)
            return try await req.page("quota-form", title: "修改推荐名额", view, status: .unprocessableEntity)
        }
        guard saved else {
            let view = try await quotaView(campaign, typed: typed, errors: [
                "version": "名额表已被他人修改，您的修改未保存。下方保留了您填写的数字，请核对后重新保存。",
            ], on: req.db)
            return try await req.page("quota-form", title: "修改推荐名额", view, status: .conflict)
        }
        return req.redirect(to: "/campaigns/\(id)?notice=quotas")
    }
}

/// A guiding number lowered below the slots in use: nothing is saved.
private struct BelowUse: Error {
    let field: String
    let message: String
}
