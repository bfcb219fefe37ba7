import Fluent
import Foundation
import HonorsCore
import Vapor

/// The campaign's end, each step in one write: starting the 公示 (the plan and every chosen nomination onto
/// the list), an objection's outcome, confirming the list once the period ended, the decision with its
/// certificates, and closing the campaign. Every nomination moves through `apply`, so the workflow decides
/// and the audit trail records each one.
extension NominationTransitions {
    /// One nomination chosen for the 拟表彰 list: the version the administrator saw and the summary typed.
    struct Chosen: Sendable {
        var id: Int
        var version: Int
        var summary: String
    }

    /// Starts the campaign's one 公示 with `chosen` on its list.
    func startPublicity(campaign: Campaign, plan: PublicityPlan, chosen: [Chosen]) async throws {
        let campaignID = try campaign.requireID()
        let user = self.user, actor = self.actor, now = self.now
        try await app.write { db in
            guard try await Publicity.of(campaign: campaignID, on: db) == nil else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "本次推荐活动的公示已经开始，不能重复开始。"))
            }
            try await Publicity(campaignID: campaignID, plan: plan, by: user.username, at: now).create(on: db)
            try await Audit.record(on: db, actor: actor, action: "publicity.start", objectType: "campaign",
                                   objectID: "\(campaignID)", objectLabel: campaign.documentNumber,
                                   changes: [FieldChange("start_on", old: nil, new: plan.first.description),
                                             FieldChange("end_on", old: nil, new: plan.last.description),
                                             FieldChange("working_days", old: nil, new: "\(plan.workingDays)"),
                                             FieldChange("contact_unit", old: nil, new: plan.contactUnit),
                                             FieldChange("contact_phone", old: nil, new: plan.contactPhone),
                                             FieldChange("listed", old: nil, new: "\(chosen.count)")], at: now)
            for item in chosen {
                try await self.apply(.publicize, to: item.id, expectedVersion: item.version, on: db) { step in
                    guard step.nomination.$campaign.id == campaignID else { throw TransitionError.refused(Refusal.notFound) }
                    let old = step.nomination.deedsSummary
                    step.nomination.deedsSummary = item.summary
                    return Effect(changes: old == item.summary ? [] : [FieldChange("deeds_summary", old: old, new: item.summary)],
                                  notices: [PendingNotice(kind: .publicity, title: "列入公示：\(step.nomination.displayName)",
                                                          body: "公示期 \(plan.period.chinese)", link: "/nominations/\(item.id)")])
                }
            }
        }
    }

    /// Records how an objection was checked; an upheld one disqualifies its nominee in the same write.
    func decideObjection(_ objectionID: Int, campaignID: Int, expectedVersion: Int, outcome: ObjectionOutcome, note: String) async throws {
        let user = self.user, actor = self.actor, now = self.now
        try await app.write { db in
            guard try await db.claimVersion(of: Objection.schema, id: objectionID, expected: expectedVersion) else {
                throw TransitionError.stale
            }
            guard let objection = try await Objection.find(objectionID, on: db), objection.$campaign.id == campaignID
            else { throw TransitionError.refused(Refusal.notFound) }
            guard try await Campaign.find(campaignID, on: db)?.closedAt == nil else {
                throw TransitionError.refused(Refusal(kind: .closed, message: "本次推荐活动已结束并归档，所有记录只读。"))
            }
            guard objection.outcome == nil else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "这条异议已登记核查结果。"))
            }
            objection.outcome = outcome.rawValue
            objection.checkNote = note
            objection.decidedBy = user.username
            objection.decidedAt = now
            try await objection.save(on: db)
            let nominationID = objection.$nomination.id
            try await Audit.record(on: db, actor: actor, action: "objection.decide", objectType: "objection",
                                   objectID: "\(objectionID)", objectLabel: "对推荐 \(nominationID) 的异议",
                                   changes: [FieldChange("outcome", old: nil, new: outcome.label),
                                             FieldChange("check_note", old: nil, new: note)], at: now)
            if outcome == .disqualify {
                // The committee is told the outcome, not the check's note: it may name the objector.
                let reason = "公示期间收到的异议经核查属实，取消表彰资格。"
                try await self.apply(.disqualify, to: nominationID, expectedVersion: nil, on: db) { step in
                    let old = step.nomination.decisionReason
                    step.nomination.decisionReason = reason
                    return Effect(changes: [FieldChange("objection", old: nil, new: "\(objectionID)"),
                                            FieldChange("decision_reason", old: old, new: reason)],
                                  notices: [PendingNotice(kind: .publicity, title: "取消表彰资格：\(step.nomination.displayName)",
                                                          body: reason + "如有疑问请联系联盟。", link: "/nominations/\(nominationID)")])
                }
            }
        }
    }

    /// After the period: every nomination still on the list is 公示无异议. Returns how many.
    @discardableResult
    func clearPublicity(campaignID: Int) async throws -> Int {
        try await app.write { db in
            guard let publicity = try await Publicity.of(campaign: campaignID, on: db) else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "公示尚未开始。"))
            }
            guard publicity.period.hasEnded(at: self.now) else { throw TransitionError.refused(Refusal.publicityRunning) }
            let open = try await Objection.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$outcome == nil).count()
            guard open == 0 else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "还有 \(open) 条异议尚未登记核查结果，核查完毕后才能确认公示无异议。"))
            }
            let ids = try await Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
                .filter(\.$state == NominationState.publicizing.rawValue).field(\.$id).all().compactMap(\.id)
            for id in ids {
                try await self.apply(.clear, to: id, expectedVersion: nil, on: db) { _ in Effect() }
            }
            return ids.count
        }
    }

    /// Issues the 表彰决定: every cleared nomination commended, one certificate each, numbered per honour in
    /// the decision's order.
    func commend(campaign: Campaign, text: DecisionText) async throws {
        let campaignID = try campaign.requireID()
        let user = self.user, actor = self.actor, now = self.now
        try await app.write { db in
            guard try await Commendation.of(campaign: campaignID, on: db) == nil else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "本次推荐活动已作出表彰决定。"))
            }
            let open = try await Objection.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$outcome == nil).count()
            guard open == 0 else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "还有 \(open) 条异议尚未登记核查结果，核查完毕后才能作出表彰决定。"))
            }
            if let publicity = try await Publicity.of(campaign: campaignID, on: db), text.issuedOn <= publicity.period.last {
                throw TransitionError.invalid(["issued_on": "成文日期应在公示期（\(publicity.period.chinese)）结束之后。"])
            }
            let list = try await HonourList.load(campaignID: campaignID, states: [.cleared], on: db)
            guard !list.isEmpty else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "没有公示无异议的推荐对象，不能作出表彰决定。"))
            }
            let commendation = Commendation()
            commendation.version = 1
            commendation.$campaign.id = campaignID
            commendation.number = text.number
            commendation.title = text.title
            commendation.preamble = text.preamble
            commendation.issuingBody = text.issuingBody
            commendation.issuedOn = text.issuedOn.description
            commendation.issuedBy = user.username
            commendation.issuedAt = now
            try await commendation.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "commendation.issue", objectType: "campaign",
                                   objectID: "\(campaignID)", objectLabel: campaign.documentNumber,
                                   changes: [FieldChange("decision_number", old: nil, new: text.number),
                                             FieldChange("decision_title", old: nil, new: text.title),
                                             FieldChange("issued_on", old: nil, new: text.issuedOn.description),
                                             FieldChange("commended", old: nil, new: "\(list.entries.count)")], at: now)
            // Numbers go on from those already issued in the year, by any campaign: each is unique for good.
            var next: [NominationCategory: Int] = [:]
            for category in NominationCategory.allCases {
                let prefix = CertificateNumber(year: text.issuedOn.year, category: category, sequence: 1).description.dropLast(3)
                next[category] = try await Certificate.query(on: db).filter(\.$category == category.rawValue)
                    .filter(\.$number =~ String(prefix)).max(\.$sequence) ?? 0
            }
            for entry in list.entries {
                let sequence = (next[entry.category] ?? 0) + 1
                next[entry.category] = sequence
                let number = CertificateNumber(year: text.issuedOn.year, category: entry.category, sequence: sequence)
                try await self.apply(.commend, to: entry.id, expectedVersion: nil, on: db) { step in
                    let certificate = Certificate()
                    certificate.number = number.description
                    certificate.$campaign.id = campaignID
                    certificate.$nomination.id = entry.id
                    certificate.category = entry.category.rawValue
                    certificate.displayName = entry.name
                    certificate.sequence = sequence
                    try await certificate.create(on: step.db)
                    return Effect(changes: [FieldChange("certificate", old: nil, new: number.description)],
                                  notices: [PendingNotice(kind: .commended, title: "已表彰：\(entry.name)",
                                                          body: "\(text.number) 授予“\(entry.category.label)”称号，证书编号 \(number)",
                                                          link: "/nominations/\(entry.id)")])
                }
            }
        }
    }

    /// Closes the campaign after its decision: from now on the workflow refuses every change.
    func close(campaign: Campaign) async throws {
        let campaignID = try campaign.requireID()
        let actor = self.actor, now = self.now
        try await app.write { db in
            guard let fresh = try await Campaign.find(campaignID, on: db) else { throw TransitionError.refused(Refusal.notFound) }
            guard fresh.closedAt == nil else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "本次推荐活动已经结束归档。"))
            }
            guard try await Commendation.of(campaign: campaignID, on: db) != nil else {
                throw TransitionError.refused(Refusal(kind: .wrongState, message: "作出表彰决定后才能结束本次推荐活动。"))
            }
            fresh.closedAt = now
            fresh.version += 1  // an edit begun before the close does not save over it
            try await fresh.save(on: db)
            try await Audit.record(on: db, actor: actor, action: "campaign.close", objectType: "campaign",
                                   objectID: "\(campaignID)", objectLabel: fresh.documentNumber,
                                   changes: [FieldChange("closed_at", old: nil, new: DayStamp(now).description)], at: now)
        }
    }
}
