/// Who may do what to a nomination, and when: the one answer pages, buttons, menus, loaders, the API and
/// `NominationTransitions.apply` all ask.
///
/// The table reads as the notice's process: the committee enters, prints, has the form signed and stamped,
/// uploads the scan and submits (上报) before the deadline; the alliance returns it for fixing with a
/// 补正期限, approves it with its opinion or rejects it; the administrator can take a decision back; the
/// committee can withdraw anything the alliance has not decided. Reviewers note and recommend; 纪检 replies
/// are recorded by the alliance. Approved nominations go onto the 公示 list; when it ends without an
/// upheld objection they are cleared, with one they are disqualified; the decision commends the cleared.
/// A closed campaign refuses every change.
public enum NominationWorkflow {
    /// One line of the table: `action` is allowed to `relations` in `states` when `phase` admits it (and,
    /// for `onlyIfSubmittedOnce`, the nomination reached the alliance once), and leads to `to` (nil: the
    /// state stays).
    public struct Rule: Sendable {
        public let action: NominationAction
        public let relations: Set<ActorRelation>
        public let states: Set<NominationState>
        public let phase: PhaseRule
        public let to: NominationState?
        public var onlyIfSubmittedOnce = false

        func holds(for context: WorkflowContext) -> Bool {
            relations.contains(context.relation) && states.contains(context.state) && (!onlyIfSubmittedOnce || context.submittedOnce)
        }
    }

    /// When in the campaign a rule holds.
    public enum PhaseRule: Sendable {
        /// Whatever the phase.
        case any
        /// While the committee takes entries (open, or extended for it).
        case entries
        /// While the committee takes entries, or the nomination's 补正期限 runs.
        case entriesOrFixing
        /// After the last day of the campaign's 公示.
        case publicityEnded

        func admits(_ context: WorkflowContext) -> Bool {
            switch self {
            case .any: true
            case .entries: context.phase.acceptsEntries
            case .entriesOrFixing: context.phase.acceptsEntries || context.phase == .fixing
            case .publicityEnded: context.publicityEnded
            }
        }
    }

    // MARK: Predicates, named as the notice's roles

    static let committee: Set<ActorRelation> = [.ownCommittee]
    static let administrator: Set<ActorRelation> = [.administrator]
    static let alliance: Set<ActorRelation> = [.administrator, .reviewer]
    static let reviewers: Set<ActorRelation> = [.reviewer]

    /// The committee's own work in progress, before or after a withdrawal.
    static let inProgress: Set<NominationState> = [.draft, .withdrawn]
    /// Everything but the alliance's decisions and a withdrawal.
    static let undecided: Set<NominationState> = [.draft, .submitted, .returned]
    static let decided: Set<NominationState> = [.approved, .rejected]
    /// Under review: with the alliance, or back with the committee for fixing.
    public static let underReview: Set<NominationState> = [.submitted, .returned]

    private static func rule(_ action: NominationAction, by relations: Set<ActorRelation>,
                             in states: Set<NominationState>, when phase: PhaseRule = .any,
                             to: NominationState? = nil, onlyIfSubmittedOnce: Bool = false) -> Rule {
        Rule(action: action, relations: relations, states: states, phase: phase, to: to, onlyIfSubmittedOnce: onlyIfSubmittedOnce)
    }

    /// The table. An action not listed for a relation is refused to it; a state not listed is refused with
    /// the state's reason; a phase the rule does not admit is refused as past the deadline.
    public static let rules: [Rule] = [
        rule(.view, by: committee, in: Set(NominationState.allCases)),
        rule(.view, by: alliance, in: NominationState.reachedAlliance),
        // Withdrawn after it reached the alliance: still on the alliance's record, for reading only.
        rule(.view, by: alliance, in: [.withdrawn], onlyIfSubmittedOnce: true),

        rule(.save, by: committee, in: inProgress, when: .entries),
        rule(.save, by: committee, in: [.returned], when: .entriesOrFixing),
        rule(.photo, by: committee, in: inProgress, when: .entries),
        rule(.photo, by: committee, in: [.returned], when: .entriesOrFixing),
        rule(.scan, by: committee, in: inProgress, when: .entries),
        rule(.scan, by: committee, in: [.returned], when: .entriesOrFixing),
        rule(.submit, by: committee, in: inProgress, when: .entries, to: .submitted),
        rule(.submit, by: committee, in: [.returned], when: .entriesOrFixing, to: .submitted),
        rule(.withdraw, by: committee, in: undecided, to: .withdrawn),

        rule(.return, by: administrator, in: [.submitted], to: .returned),
        rule(.approve, by: administrator, in: [.submitted], to: .approved),
        rule(.reject, by: administrator, in: underReview, to: .rejected),
        rule(.revert, by: administrator, in: decided, to: .submitted),

        rule(.review, by: reviewers, in: underReview),
        rule(.integrity, by: alliance, in: underReview),

        rule(.publicize, by: administrator, in: [.approved], to: .publicizing),
        rule(.clear, by: administrator, in: [.publicizing], when: .publicityEnded, to: .cleared),
        // An objection may be upheld while the 公示 runs and after it, until the decision.
        rule(.disqualify, by: administrator, in: [.publicizing, .cleared], to: .disqualified),
        rule(.commend, by: administrator, in: [.cleared], to: .commended),
    ]

    // MARK: Answers

    public enum Decision: Sendable, Equatable {
        /// Allowed; `to` is the state it leads to (nil: unchanged).
        case allowed(to: NominationState?)
        case refused(Refusal)

        public var isAllowed: Bool { if case .allowed = self { true } else { false } }

        public var refusal: Refusal? { if case .refused(let refusal) = self { refusal } else { nil } }
    }

    /// Whether `action` is allowed in `context`, and if not, why, in the words the page shows.
    public static func decide(_ action: NominationAction, _ context: WorkflowContext) -> Decision {
        guard canSee(context) else { return .refused(.notFound) }
        let forRelation = rules.filter { $0.action == action && $0.relations.contains(context.relation) }
        guard !forRelation.isEmpty else { return .refused(.forbidden(action)) }
        guard let rule = forRelation.first(where: { $0.holds(for: context) }) else {
            return .refused(.wrongState(action, context.state))
        }
        guard !context.campaignClosed || action == .view else { return .refused(.campaignClosed(action)) }
        guard rule.phase.admits(context) else {
            return .refused(action == .clear ? .publicityRunning : .closed(action, context))
        }
        return .allowed(to: rule.to)
    }

    public static func allows(_ action: NominationAction, _ context: WorkflowContext) -> Bool {
        decide(action, context).isAllowed
    }

    /// The actions to offer as buttons, in the table's order.
    public static func allowedActions(_ context: WorkflowContext) -> [NominationAction] {
        NominationAction.allCases.filter { allows($0, context) }
    }

    /// Whether the nomination exists at all for this person: another committee's, a recused reviewer's
    /// and a draft the alliance has not received are "not found".
    static func canSee(_ context: WorkflowContext) -> Bool {
        rules.contains { $0.action == .view && $0.holds(for: context) }
    }

    /// Whether an action is ever open to a relation, whatever the state: whether a button may appear
    /// at all for the role.
    public static func isOpen(_ action: NominationAction, to relation: ActorRelation) -> Bool {
        rules.contains { $0.action == action && $0.relations.contains(relation) }
    }
}
