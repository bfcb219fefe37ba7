import Foundation

/// Who is asking, in relation to the nomination.
public enum ActorRelation: String, CaseIterable, Sendable {
    /// An operator of the committee that entered it.
    case ownCommittee
    /// An operator of any other committee.
    case otherCommittee
    /// 联盟管理员.
    case administrator
    /// 联盟审核人员.
    case reviewer
    /// A reviewer recused (回避) from the nomination's committee: sees and reviews nothing of it.
    case recusedReviewer

    /// The alliance's staff, not recused: what they read of a nomination the committee does not (replies,
    /// recommendations) is the alliance's own.
    public var isAlliance: Bool { self == .administrator || self == .reviewer }
}

/// Where the campaign stands for this nomination's committee.
public enum CampaignPhase: String, CaseIterable, Sendable {
    /// Before the campaign's deadline.
    case open
    /// After the deadline, within an extension granted to this committee.
    case extended
    /// After the deadline, but this nomination was returned and its 补正期限 still runs.
    case fixing
    /// Past the deadline, any extension and any 补正期限.
    case closed

    /// The committee may still enter and submit nominations in general.
    public var acceptsEntries: Bool { self == .open || self == .extended }
}

/// Everything the workflow needs to answer: the state, the relation and the phase, plus the dates its
/// refusals name.
public struct WorkflowContext: Sendable, Equatable {
    public var state: NominationState
    public var relation: ActorRelation
    public var phase: CampaignPhase
    /// The last day committees may submit (the campaign's deadline, or this committee's extension).
    public var deadline: DayStamp?
    /// The last day of a return's 补正期限.
    public var fixBy: DayStamp?
    /// It was submitted at least once: a nomination withdrawn after it reached the alliance stays on its record.
    public var submittedOnce: Bool
    /// The campaign's 公示 has passed its last day.
    public var publicityEnded: Bool
    /// The campaign was closed after its decision: read-only for everyone.
    public var campaignClosed: Bool

    public init(state: NominationState, relation: ActorRelation, phase: CampaignPhase,
                deadline: DayStamp? = nil, fixBy: DayStamp? = nil, submittedOnce: Bool = false,
                publicityEnded: Bool = false, campaignClosed: Bool = false) {
        self.publicityEnded = publicityEnded
        self.campaignClosed = campaignClosed
        self.state = state
        self.relation = relation
        self.phase = phase
        self.deadline = deadline
        self.fixBy = fixBy
        self.submittedOnce = submittedOnce
    }
}

extension CampaignPhase {
    /// The phase at `now` for a nomination in `state`: before the campaign's deadline, within the
    /// committee's extension (`committeeDeadlineEnd`, the same as the campaign's when none), within a
    /// return's 补正期限 (`fixUntil`), or closed.
    public static func at(_ now: Date, campaignDeadlineEnd: Date, committeeDeadlineEnd: Date,
                          state: NominationState, fixUntil: Date?) -> CampaignPhase {
        if now < campaignDeadlineEnd { return .open }
        if now < committeeDeadlineEnd { return .extended }
        if state == .returned, let fixUntil, now < fixUntil { return .fixing }
        return .closed
    }
}
