import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// Every change to an existing nomination passes through `apply`: in one write transaction it claims the
/// version the person saw, re-reads the row, asks `NominationWorkflow` again on the fresh row, runs the
/// action's own effect, sets the state the workflow names, records the audit event and makes the
/// notifications. A refusal or failure anywhere rolls all of it back.
struct NominationTransitions: Sendable {
    let app: Application
    let user: CurrentUser
    let actor: Actor
    let now: Date

    init(app: Application, user: CurrentUser, actor: Actor, now: Date) {
        self.app = app
        self.user = user
        self.actor = actor
        self.now = now
    }

    init(req: Request) throws {
        self.init(app: req.application, user: try req.requireUser(), actor: req.actor, now: req.now)
    }

    /// What an action did besides the state: for the audit event and the notifications.
    struct Effect: Sendable {
        var changes: [FieldChange] = []
        /// Notices for the nomination's committee.
        var notices: [PendingNotice] = []
    }

    /// The fresh row and what the workflow said, handed to an action's effect.
    struct Step: @unchecked Sendable {
        /// The nomination as it is inside the transaction; the effect changes its properties, `apply` saves.
        let nomination: Nomination
        let campaign: Campaign
        let context: WorkflowContext
        let db: any Database
    }

    /// Runs `action` on the nomination in its own write transaction, or inside the caller's when `db` is
    /// given (bulk approval, demo data): then the caller's write commits or rolls back everything together.
    @discardableResult
    func apply(_ action: NominationAction, to nominationID: Int, expectedVersion: Int?, in db: (any Database)? = nil,
               effect: @escaping @Sendable (Step) async throws -> Effect) async throws -> NominationState {
        if let db { return try await apply(action, to: nominationID, expectedVersion: expectedVersion, on: db, effect: effect) }
        return try await app.write { db in
            try await self.apply(action, to: nominationID, expectedVersion: expectedVersion, on: db, effect: effect)
        }
    }

    /// Runs `action` inside a transaction the caller holds. `expectedVersion` nil leaves the version alone,
    /// for actions that change neither the nomination's data nor its state (a reviewer's note).
    @discardableResult
    func apply(_ action: NominationAction, to nominationID: Int, expectedVersion: Int?, on db: any Database,
               effect: @Sendable (Step) async throws -> Effect) async throws -> NominationState {
        if let expectedVersion {
            guard try await db.claimVersion(of: Nomination.schema, id: nominationID, expected: expectedVersion) else {
                // Either it moved on, or it is not there for this person at all.
                try await requireVisible(nominationID, on: db)
                throw TransitionError.stale
            }
        } else if let sql = db as? any SQLDatabase, !db.isSQLite {
            // Without a version claim the row is still locked, so that a 纪检 reply and an approval on
            // PostgreSQL take turns instead of each deciding on what the other has not yet written.
            try await sql.raw("SELECT id FROM nominations WHERE id = \(bind: nominationID) FOR UPDATE").run()
        }
        guard let nomination = try await Nomination.query(on: db).filter(\.$id == nominationID).with(\.$campaign).first()
        else { throw TransitionError.refused(Refusal.notFound) }
        let campaign = nomination.campaign
        let deadlines = try await CampaignDeadlines.load(campaign, on: db)
        let context = WorkflowSubject(nomination).context(for: user, deadlines: deadlines, now: now)
        let target: NominationState?
        switch NominationWorkflow.decide(action, context) {
        case .refused(let refusal): throw TransitionError.refused(refusal)
        case .allowed(let to): target = to
        }

        let before = nomination.stateValue
        var done = try await effect(Step(nomination: nomination, campaign: campaign, context: context, db: db))
        if let target, target != before {
            nomination.state = target.rawValue
            done.changes.insert(FieldChange("state", old: before.rawValue, new: target.rawValue), at: 0)
        }
        if before == .withdrawn, action.changesForm { nomination.submittedAt = nil }
        try await nomination.save(on: db)  // only the fields the effect changed
        try await Audit.record(on: db, actor: actor, action: action.auditName, objectType: "nomination",
                               objectID: "\(nominationID)", objectLabel: nomination.displayName,
                               committeeID: nomination.$committee.id, changes: done.changes, at: now)
        for notice in done.notices {
            try await Notifications.send(notice, toCommittee: nomination.$committee.id, on: db, at: now)
        }
        return nomination.stateValue
    }

    /// Throws "not found" unless the nomination exists for this person.
    private func requireVisible(_ nominationID: Int, on db: any Database) async throws {
        guard let row = try await Nomination.query(on: db).filter(\.$id == nominationID)
            .field(\.$state).field(\.$committee.$id).field(\.$submittedAt).first(),
              NominationWorkflow.allows(.view, WorkflowContext(state: row.stateValue,
                                                               relation: user.relation(toCommittee: row.$committee.id),
                                                               phase: .open, submittedOnce: row.submittedAt != nil))
        else { throw TransitionError.refused(Refusal.notFound) }
    }
}
