import Fluent
import Foundation
import HonorsCore

/// A campaign's deadline and the extensions granted to committees, read once: what every workflow question
/// about a nomination's phase needs.
struct CampaignDeadlines: Sendable {
    let campaign: DayStamp
    /// Committee id → the latest day granted to it.
    let extended: [Int: DayStamp]
    /// The end of the 公示's last day, once one was started.
    var publicityEnd: Date? = nil
    /// The campaign was closed: read-only.
    var closed = false

    /// The last day `committeeID` may submit: its extension, or the campaign's deadline.
    func lastDay(for committeeID: Int) -> DayStamp {
        max(campaign, extended[committeeID] ?? campaign)
    }

    static func load(_ campaign: Campaign, on db: any Database) async throws -> CampaignDeadlines {
        var extended: [Int: DayStamp] = [:]
        for grant in try await DeadlineExtension.query(on: db).filter(\.$campaign.$id == campaign.requireID()).all() {
            guard let until = grant.until else { continue }
            extended[grant.$committee.id] = max(until, extended[grant.$committee.id] ?? until)
        }
        let publicity = try await Publicity.query(on: db).filter(\.$campaign.$id == campaign.requireID())
            .field(\.$id).field(\.$endOn).first()
        return CampaignDeadlines(campaign: campaign.deadline, extended: extended,
                                 publicityEnd: publicity.flatMap { DayStamp($0.endOn) }?.end,
                                 closed: campaign.closedAt != nil)
    }
}

/// What the workflow needs of one nomination: a model, or one read with just these columns (state,
/// committee, fix_by, fix_until, submitted_at), as lists do.
struct WorkflowSubject: Sendable {
    let state: NominationState
    let committeeID: Int
    let fixBy: DayStamp?
    let fixUntil: Date?
    let submittedOnce: Bool

    init(_ nomination: Nomination) {
        self.init(state: nomination.stateValue, committeeID: nomination.$committee.id, fixBy: nomination.fixBy,
                  fixUntil: nomination.fixUntil, submittedAt: nomination.submittedAt)
    }

    /// From the columns as stored, for lists that read rows rather than models.
    init(state: NominationState, committeeID: Int, fixBy: String?, fixUntil: Date?, submittedAt: Date?) {
        self.state = state
        self.committeeID = committeeID
        self.fixBy = fixBy.flatMap(DayStamp.init)
        self.fixUntil = fixUntil
        submittedOnce = submittedAt != nil
    }

    /// The workflow's question for `user` at `now`.
    func context(for user: CurrentUser, deadlines: CampaignDeadlines, now: Date) -> WorkflowContext {
        let lastDay = deadlines.lastDay(for: committeeID)
        let phase = CampaignPhase.at(now, campaignDeadlineEnd: deadlines.campaign.end,
                                     committeeDeadlineEnd: lastDay.end, state: state, fixUntil: fixUntil)
        return WorkflowContext(state: state, relation: user.relation(toCommittee: committeeID), phase: phase,
                               deadline: lastDay, fixBy: state == .returned ? fixBy : nil, submittedOnce: submittedOnce,
                               publicityEnded: deadlines.publicityEnd.map { now >= $0 } ?? false,
                               campaignClosed: deadlines.closed)
    }
}
