import Fluent
import Foundation
import HonorsCore

/// The committee's transitions: 上报 and 撤回. Editing, the photo and the scan pass through `apply` too
/// (`NominationService.save`, `uploadPhoto`, `ScanUpload`).
extension NominationTransitions {
    /// 上报: complete, with the committee's opinion, a scan signed on the current data when the campaign
    /// asks for one, and a free slot, counted under the quota row's lock.
    func submit(_ id: Int, expectedVersion: Int, in db: (any Database)? = nil) async throws {
        do {
            try await submitting(id, expectedVersion: expectedVersion, in: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A withdrawn nomination submitted again while another committee took the same person: the
            // unique index decided, after the check inside the write passed on a PostgreSQL snapshot.
            throw TransitionError.invalid(["form": "此身份证号码的人员已由其他推荐占用，不能再上报。请核对身份证号。"])
        }
    }

    private func submitting(_ id: Int, expectedVersion: Int, in db: (any Database)?) async throws {
        let user = self.user, now = self.now, app = self.app, actor = self.actor
        try await apply(.submit, to: id, expectedVersion: expectedVersion, in: db) { step in
            let nomination = step.nomination, campaign = step.campaign
            let service = NominationService(app: app, db: step.db, user: user, actor: actor, now: now)
            let result = try await service.check(try service.storedInput(nomination), campaign: campaign, excluding: id)
            var errors: [String: String] = [:]
            if !result.isComplete {
                errors["form"] = "推荐材料还不完整或有错误，请先修改后再上报（见页面上方的清单）。"
            }
            if campaign.requireScan {
                switch try service.scanState(of: nomination) {
                case .current: break
                case .none: errors["scan"] = "请先上传签字盖章后的审批表扫描件，再上报。"
                case .stale: errors["scan"] = "盖章扫描件与当前数据不一致（上传后材料又有修改），请重新打印、签字盖章并上传扫描件后再上报。"
                }
            }
            guard errors.isEmpty else { throw TransitionError.invalid(errors) }
            let campaignID = try campaign.requireID(), committeeID = nomination.$committee.id
            let limit = try await QuotaLock.limit(campaignID: campaignID, committeeID: committeeID,
                                                  category: nomination.category, on: step.db)
            let used = try await QuotaUsage.used(campaignID: campaignID, committeeID: committeeID,
                                                 category: nomination.category, at: now, excluding: id, on: step.db)
            guard used < limit else {
                throw TransitionError.invalid(QuotaLock.fullErrors(category: nomination.categoryValue, used: used,
                                                                   limit: limit, verb: "再上报"))
            }
            nomination.submittedAt = now
            nomination.submittedBy = user.username
            // A return's reason and 补正期限 are answered by this submission; the history keeps them.
            nomination.fixUntil = nil
            nomination.decisionReason = nil
            nomination.decidedBy = nil
            nomination.decidedAt = nil
            return Effect(changes: [FieldChange("data_fingerprint", old: nil, new: nomination.dataFingerprint)])
        }
    }

    /// 撤回: from draft, submitted or returned; the slot and the person are freed.
    func withdraw(_ id: Int, expectedVersion: Int, in db: (any Database)? = nil) async throws {
        try await apply(.withdraw, to: id, expectedVersion: expectedVersion, in: db) { step in
            // A return or revert answered by withdrawing: the page no longer shows it; the history keeps it.
            let n = step.nomination
            n.fixUntil = nil
            n.decisionReason = nil
            n.decidedBy = nil
            n.decidedAt = nil
            return Effect()
        }
    }
}
