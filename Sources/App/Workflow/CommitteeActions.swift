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
            let scan = ScanState(scanFingerprint: nomination.scanFingerprint, dataFingerprint: try service.fingerprint(of: nomination))
            let errors = NominationService.submitProblems(result, scan: scan, campaign: campaign)
            guard errors.isEmpty else { throw TransitionError.invalid(errors) }
            let (used, limit) = try await QuotaLock.position(of: nomination, counting: QuotaUsage.occupying(at: now), on: step.db)
            guard used < limit else {
                throw TransitionError.invalid(QuotaLock.fullErrors(category: nomination.categoryValue, used: used,
                                                                   limit: limit, verb: "再上报"))
            }
            nomination.submittedAt = now
            nomination.submittedBy = user.username
            // A return's reason and 补正期限 are answered by this submission.
            nomination.clearDecision()
            return Effect(changes: [FieldChange("data_fingerprint", old: nil, new: nomination.dataFingerprint)])
        }
    }

    /// 撤回: from draft, submitted or returned; the slot and the person are freed.
    func withdraw(_ id: Int, expectedVersion: Int, in db: (any Database)? = nil) async throws {
        try await apply(.withdraw, to: id, expectedVersion: expectedVersion, in: db) { step in
            // A return or revert answered by withdrawing.
            step.nomination.clearDecision()
            return Effect()
        }
    }
}
