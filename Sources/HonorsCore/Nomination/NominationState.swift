/// Where a nomination stands. Stored as the raw string, so the review states of later features fit
/// without a migration.
public enum NominationState: String, CaseIterable, Sendable, Codable {
    case draft
    case submitted
    case withdrawn
    case approved
    case rejected

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "已上报"
        case .withdrawn: "已撤回"
        case .approved: "已通过"
        case .rejected: "未通过"
        }
    }

    /// States that take one of the committee's slots. Drafts, withdrawn and rejected nominations do not.
    public static let occupyingSlot: Set<NominationState> = [.submitted, .approved]

    /// The committee may still change it.
    public var isEditableByCommittee: Bool { self == .draft || self == .withdrawn }

    /// The committee may take it back: submitted, and the alliance has not decided.
    public var canWithdraw: Bool { self == .submitted }

    /// Counts for the rule "the same person once per campaign": everything but a withdrawn nomination.
    public var holdsPerson: Bool { self != .withdrawn }
}
