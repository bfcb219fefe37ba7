import Foundation

/// Where a nomination stands. Stored as the raw string, so the states of later features (公示, 表彰) fit
/// without a migration. Which action leads from one state to another, and for whom, is `NominationWorkflow`.
public enum NominationState: String, CaseIterable, Sendable, Codable {
    /// 草稿: the committee is entering it.
    case draft
    /// 已上报: with the alliance.
    case submitted
    /// 退回修改: the alliance sent it back with a reason and a 补正期限.
    case returned
    /// 审核通过: the alliance approved it with its opinion.
    case approved
    /// 未通过: the alliance rejected it with a reason.
    case rejected
    /// 已撤回: the committee took it back (from draft, submitted or returned).
    case withdrawn
    /// 公示中: on the 拟表彰 list the public may object to.
    case publicizing
    /// 公示无异议: the 公示 ended without an upheld objection.
    case cleared
    /// 取消表彰资格: an objection was upheld; the slot stays used for the year.
    case disqualified
    /// 已表彰: named in the commendation decision.
    case commended

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "已上报"
        case .returned: "退回修改"
        case .approved: "审核通过"
        case .rejected: "未通过"
        case .withdrawn: "已撤回"
        case .publicizing: "公示中"
        case .cleared: "公示无异议"
        case .disqualified: "取消表彰资格"
        case .commended: "已表彰"
        }
    }

    /// States that always take one of the committee's slots. A returned nomination also takes one while its
    /// 补正期限 runs (`occupiesSlot`); drafts, withdrawn and rejected nominations never do. A disqualified
    /// nominee keeps the slot: the quota stays used for the year.
    public static let occupyingSlot: Set<NominationState> = Set([.submitted, .approved]).union(afterApproval)

    /// The alliance approved it and it went on: 公示, its outcome, the commendation.
    public static let afterApproval: Set<NominationState> = [.publicizing, .cleared, .disqualified, .commended]

    /// Whether a nomination in this state, returned until `fixUntil` (the end of its 补正期限), takes a slot
    /// at `now`. The database counts the same condition (`QuotaUsage`).
    public func occupiesSlot(fixUntil: Date?, at now: Date) -> Bool {
        if Self.occupyingSlot.contains(self) { return true }
        guard self == .returned, let fixUntil else { return false }
        return now < fixUntil
    }

    /// States the alliance sees the content of: everything that reached it. Drafts and withdrawn
    /// nominations stay the committee's; the alliance sees only how many there are.
    public static let reachedAlliance: Set<NominationState> = Set([.submitted, .returned, .approved, .rejected]).union(afterApproval)

    /// Counts for the rule "the same person once per campaign": everything but a withdrawn nomination.
    public var holdsPerson: Bool { self != .withdrawn }
}
