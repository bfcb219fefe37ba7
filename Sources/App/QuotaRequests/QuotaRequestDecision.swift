import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

extension QuotaRequest.State {
    /// The administrator's choice as the form sends it.
    init?(decision: String?) {
        switch decision {
        case "approve": self = .approved
        case "refuse": self = .refused
        default: return nil
        }
    }

    /// Only a pending request is decided, once.
    var isDecidable: Bool { self == .pending }
}

/// The administrator's decision on an 超额申请, in one write: the version claimed, the row read again and
/// checked, the state set, the grant raising the committee's limit, the audit event and the committee's
/// notification.
enum QuotaRequestDecision {
    enum Outcome: Sendable {
        case decided
        /// Someone decided (or changed) it in between.
        case stale
    }

    static func decide(_ id: Int, expectedVersion: Int, to state: QuotaRequest.State, note: String,
                       by actor: Actor, at now: Date, on app: Application) async throws -> Outcome {
        do {
            return try await write(id, expectedVersion: expectedVersion, to: state, note: note, by: actor, at: now, on: app)
        } catch is Stale {
            return .stale  // Rolled back: the version claimed is undone with it.
        }
    }

    private static func write(_ id: Int, expectedVersion: Int, to state: QuotaRequest.State, note: String,
                              by actor: Actor, at now: Date, on app: Application) async throws -> Outcome {
        try await app.write { db -> Outcome in
            guard try await db.claimVersion(of: QuotaRequest.schema, id: id, expected: expectedVersion),
                  let request = try await QuotaRequest.query(on: db).filter(\.$id == id).with(\.$committee).first(),
                  request.stateValue.isDecidable else { throw Stale() }
            // A closed campaign's quotas are part of its record: read inside this write, so a close cannot slip in.
            try await Campaign.find(request.$campaign.id, on: db)?.requireNotClosed()
            request.state = state.rawValue
            request.decidedBy = actor.name
            request.decidedAt = now
            request.decisionNote = note
            try await request.save(on: db)
            if state == .approved {
                // The grant raises this committee's limit for the category, read and written under the quota
                // row's lock, so two grants at once add up.
                _ = try await QuotaLock.limit(campaignID: request.$campaign.id, committeeID: request.$committee.id,
                                              category: request.category, on: db)
                if try await CampaignQuota.query(on: db).filter(\.$campaign.$id == request.$campaign.id)
                    .filter(\.$committee.$id == request.$committee.id).filter(\.$category == request.category).count() > 0 {
                    // Added in the database (`granted = granted + extra`), never written back from a value read
                    // earlier: nothing another write did to the row in between is lost.
                    try await (db as! any SQLDatabase).update(CampaignQuota.schema)
                        .set(SQLIdentifier("granted"), to: SQLBinaryExpression(SQLIdentifier("granted"), .add, SQLBind(request.extra)))
                        .where("campaign_id", .equal, request.$campaign.id)
                        .where("committee_id", .equal, request.$committee.id)
                        .where("category", .equal, request.category).run()
                } else {
                    try await CampaignQuota(campaignID: request.$campaign.id, committeeID: request.$committee.id,
                                            category: request.category, guiding: 0, granted: request.extra).create(on: db)
                }
            }
            let category = NominationCategory(rawValue: request.category)?.label ?? request.category
            try await Audit.record(on: db, actor: actor, action: state == .approved ? "quota_request.approve" : "quota_request.refuse",
                                   objectType: "quota_request", objectID: "\(id)",
                                   objectLabel: "\(request.committee.name) \(category) +\(request.extra)",
                                   committeeID: request.$committee.id,
                                   changes: [FieldChange("state", old: QuotaRequest.State.pending.rawValue, new: state.rawValue),
                                             FieldChange("decision_note", old: nil, new: note)], at: now)
            let outcome = state == .approved ? "已批准，可报名额增加 \(request.extra)" : "未批准"
            try await Notifications.send(
                PendingNotice(kind: .quotaDecided, title: "超额申请\(state.label)：\(category) +\(request.extra)",
                              body: "您提出的\(category)超额申请\(outcome)。" + (note.isEmpty ? "" : "审批说明：\(note)"),
                              link: "/quota-requests"),
                toCommittee: request.$committee.id, on: db, at: now)
            return .decided
        }
    }

    /// Rolls the claimed version back with the rest.
    private struct Stale: Error {}
}
