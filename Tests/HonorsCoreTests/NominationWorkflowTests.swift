import HonorsCore
import Testing

/// The workflow against a table typed out from the notice's process, not derived from
/// `NominationWorkflow.rules`: every action × relation × state × phase.
@Suite("Nomination workflow")
struct NominationWorkflowTests {
    /// Per state, in the order draft, submitted, returned, approved, rejected, withdrawn, publicizing, cleared,
    /// disqualified, commended: four letters for
    /// the phases open, extended, fixing, closed. y allowed, n not found, f forbidden to the role,
    /// s refused in this state, c refused as past the deadline or 补正期限.
    static let expected: [String: String] = [
        // The committee's own nominations.
        "view ownCommittee":      "yyyy yyyy yyyy yyyy yyyy yyyy yyyy yyyy yyyy yyyy",
        "save ownCommittee":      "yycc ssss yyyc ssss ssss yycc ssss ssss ssss ssss",
        "photo ownCommittee":     "yycc ssss yyyc ssss ssss yycc ssss ssss ssss ssss",
        "scan ownCommittee":      "yycc ssss yyyc ssss ssss yycc ssss ssss ssss ssss",
        "submit ownCommittee":    "yycc ssss yyyc ssss ssss yycc ssss ssss ssss ssss",
        "withdraw ownCommittee":  "yyyy yyyy yyyy ssss ssss ssss ssss ssss ssss ssss",
        "return ownCommittee":    "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "approve ownCommittee":   "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "reject ownCommittee":    "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "revert ownCommittee":    "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "review ownCommittee":    "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "integrity ownCommittee": "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "publicize ownCommittee":  "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "clear ownCommittee":      "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "disqualify ownCommittee": "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        "commend ownCommittee":    "ffff ffff ffff ffff ffff ffff ffff ffff ffff ffff",
        // The administrator: drafts and withdrawn nominations stay the committee's.
        "view administrator":      "nnnn yyyy yyyy yyyy yyyy nnnn yyyy yyyy yyyy yyyy",
        "save administrator":      "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "photo administrator":     "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "scan administrator":      "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "submit administrator":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "withdraw administrator":  "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "return administrator":    "nnnn yyyy ssss ssss ssss nnnn ssss ssss ssss ssss",
        "approve administrator":   "nnnn yyyy ssss ssss ssss nnnn ssss ssss ssss ssss",
        "reject administrator":    "nnnn yyyy yyyy ssss ssss nnnn ssss ssss ssss ssss",
        "revert administrator":    "nnnn ssss ssss yyyy yyyy nnnn ssss ssss ssss ssss",
        "review administrator":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "integrity administrator": "nnnn yyyy yyyy ssss ssss nnnn ssss ssss ssss ssss",
        // The campaign's end: approved onto the 公示 list; cleared only once the period ended (not in these
        // contexts: see `publicityEnd`); an upheld objection disqualifies; the decision commends the cleared.
        "publicize administrator":  "nnnn ssss ssss yyyy ssss nnnn ssss ssss ssss ssss",
        "clear administrator":      "nnnn ssss ssss ssss ssss nnnn cccc ssss ssss ssss",
        "disqualify administrator": "nnnn ssss ssss ssss ssss nnnn yyyy yyyy ssss ssss",
        "commend administrator":    "nnnn ssss ssss ssss ssss nnnn ssss yyyy ssss ssss",
        // A reviewer reads, notes, recommends and records 纪检 replies; decides nothing.
        "view reviewer":      "nnnn yyyy yyyy yyyy yyyy nnnn yyyy yyyy yyyy yyyy",
        "save reviewer":      "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "photo reviewer":     "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "scan reviewer":      "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "submit reviewer":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "withdraw reviewer":  "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "return reviewer":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "approve reviewer":   "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "reject reviewer":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "revert reviewer":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "review reviewer":    "nnnn yyyy yyyy ssss ssss nnnn ssss ssss ssss ssss",
        "integrity reviewer": "nnnn yyyy yyyy ssss ssss nnnn ssss ssss ssss ssss",
        "publicize reviewer":  "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "clear reviewer":      "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "disqualify reviewer": "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
        "commend reviewer":    "nnnn ffff ffff ffff ffff nnnn ffff ffff ffff ffff",
    ]

    static let states: [NominationState] = [.draft, .submitted, .returned, .approved, .rejected, .withdrawn,
                                            .publicizing, .cleared, .disqualified, .commended]
    static let phases: [CampaignPhase] = [.open, .extended, .fixing, .closed]

    static func letter(_ decision: NominationWorkflow.Decision) -> Character {
        switch decision {
        case .allowed: "y"
        case .refused(let refusal):
            switch refusal.kind {
            case .notFound: "n"
            case .forbidden: "f"
            case .wrongState: "s"
            case .closed: "c"
            }
        }
    }

    @Test("every action, relation, state and phase gives the outcome typed in the table", arguments: NominationAction.allCases)
    func table(_ action: NominationAction) {
        for relation in ActorRelation.allCases {
            let row: String
            switch relation {
            // Another committee's nomination and a recused reviewer's do not exist for them.
            case .otherCommittee, .recusedReviewer: row = Array(repeating: "nnnn", count: Self.states.count).joined(separator: " ")
            default: row = Self.expected["\(action.rawValue) \(relation.rawValue)"] ?? "missing"
            }
            let groups = row.split(separator: " ")
            #expect(groups.count == Self.states.count, "\(action) \(relation): no row typed")
            guard groups.count == Self.states.count else { continue }
            for (s, state) in Self.states.enumerated() {
                for (p, phase) in Self.phases.enumerated() {
                    let want = Array(groups[s])[p]
                    let got = Self.letter(NominationWorkflow.decide(action, WorkflowContext(state: state, relation: relation, phase: phase)))
                    #expect(got == want, "\(action) by \(relation) when \(state) in phase \(phase): \(got), expected \(want)")
                }
            }
        }
    }

    @Test("the table lists every action it decides")
    func everyActionTyped() {
        for action in NominationAction.allCases {
            for relation in [ActorRelation.ownCommittee, .administrator, .reviewer] {
                #expect(Self.expected["\(action.rawValue) \(relation.rawValue)"] != nil, "\(action) \(relation)")
            }
        }
    }

    @Test("公示无异议 is confirmed only after the period's last day; the outcome leads on to the decision")
    func publicityEnd() {
        let running = WorkflowContext(state: .publicizing, relation: .administrator, phase: .closed)
        #expect(NominationWorkflow.decide(.clear, running).refusal?.message == "公示期尚未结束，结束后才能确认公示无异议。")
        var ended = running
        ended.publicityEnded = true
        #expect(NominationWorkflow.decide(.clear, ended) == .allowed(to: .cleared))
        #expect(NominationWorkflow.decide(.disqualify, ended) == .allowed(to: .disqualified))
        #expect(NominationWorkflow.decide(.commend, WorkflowContext(state: .cleared, relation: .administrator, phase: .closed)) == .allowed(to: .commended))
        #expect(NominationWorkflow.decide(.publicize, WorkflowContext(state: .approved, relation: .administrator, phase: .closed)) == .allowed(to: .publicizing))
        // A disqualified nominee keeps the slot: the quota stays used for the year.
        #expect(NominationState.disqualified.occupiesSlot(fixUntil: nil, at: .now))
        #expect(NominationState.commended.occupiesSlot(fixUntil: nil, at: .now))
        #expect(NominationWorkflow.decide(.revert, WorkflowContext(state: .publicizing, relation: .administrator, phase: .closed))
            .refusal?.message.contains("已进入公示") == true)
    }

    @Test("a closed campaign refuses every change to everyone, and still shows every nomination", arguments: NominationAction.allCases)
    func closedCampaign(_ action: NominationAction) {
        for state in Self.states {
            for relation in [ActorRelation.ownCommittee, .administrator, .reviewer] {
                for phase in Self.phases {
                    let open = WorkflowContext(state: state, relation: relation, phase: phase, publicityEnded: true)
                    var closed = open
                    closed.campaignClosed = true
                    let before = NominationWorkflow.decide(action, open), after = NominationWorkflow.decide(action, closed)
                    if action == .view || (before.refusal.map { $0.kind != .closed } ?? false) {
                        #expect(after == before, "\(action) by \(relation) when \(state): unchanged by the close")
                    } else {
                        #expect(after.refusal?.kind == .closed && after.refusal?.message.contains("已结束并归档") == true,
                                "\(action) by \(relation) when \(state) in a closed campaign: \(after)")
                    }
                }
            }
        }
    }

    @Test("transitions lead where the notice's process goes")
    func targets() {
        func to(_ action: NominationAction, _ state: NominationState, _ relation: ActorRelation) -> NominationState?? {
            if case .allowed(let target) = NominationWorkflow.decide(action, WorkflowContext(state: state, relation: relation, phase: .open)) {
                return .some(target)
            }
            return .none
        }
        #expect(to(.submit, .draft, .ownCommittee) == .some(.submitted))
        #expect(to(.submit, .returned, .ownCommittee) == .some(.submitted))
        #expect(to(.submit, .withdrawn, .ownCommittee) == .some(.submitted))
        #expect(to(.withdraw, .returned, .ownCommittee) == .some(.withdrawn))
        #expect(to(.return, .submitted, .administrator) == .some(.returned))
        #expect(to(.approve, .submitted, .administrator) == .some(.approved))
        #expect(to(.reject, .returned, .administrator) == .some(.rejected))
        #expect(to(.revert, .approved, .administrator) == .some(.submitted))
        #expect(to(.revert, .rejected, .administrator) == .some(.submitted))
        #expect(to(.save, .returned, .ownCommittee) == .some(nil), "an edit keeps the state")
        #expect(to(.review, .submitted, .reviewer) == .some(nil))
    }

    @Test("refusals say why in Chinese: the deadline with its day, the 补正期限, the state")
    func messages() {
        let deadline = DayStamp(year: 2024, month: 5, day: 30)
        let closed = NominationWorkflow.decide(.submit, WorkflowContext(state: .draft, relation: .ownCommittee, phase: .closed, deadline: deadline))
        #expect(closed.refusal?.message.contains("已过报送截止时间（2024年5月30日）") == true)
        #expect(closed.refusal?.message.contains("延长") == true, "the way to an extension is named")
        #expect(closed.refusal?.message.contains("无权") == false)

        let fixBy = DayStamp(year: 2024, month: 6, day: 5)
        let late = NominationWorkflow.decide(.save, WorkflowContext(state: .returned, relation: .ownCommittee, phase: .closed,
                                                                    deadline: deadline, fixBy: fixBy))
        #expect(late.refusal?.message.contains("补正期限（2024年6月5日）已过") == true)

        let twice = NominationWorkflow.decide(.submit, WorkflowContext(state: .submitted, relation: .ownCommittee, phase: .open))
        #expect(twice.refusal?.message == "此推荐已上报，不能重复上报。")
        let decided = NominationWorkflow.decide(.withdraw, WorkflowContext(state: .approved, relation: .ownCommittee, phase: .open))
        #expect(decided.refusal?.message.contains("联盟已作出决定") == true)
        let reviewer = NominationWorkflow.decide(.approve, WorkflowContext(state: .submitted, relation: .reviewer, phase: .open))
        #expect(reviewer.refusal?.message == "只有联盟管理员可以审核通过。")
    }

    @Test("withdrawn after it reached the alliance, a nomination stays readable for it, and nothing more")
    func withdrawnAfterSubmission() {
        for relation in [ActorRelation.administrator, .reviewer] {
            let context = WorkflowContext(state: .withdrawn, relation: relation, phase: .open, submittedOnce: true)
            #expect(NominationWorkflow.allowedActions(context) == [.view], "\(relation)")
            #expect(NominationWorkflow.decide(.approve, context).refusal?.kind == (relation == .administrator ? .wrongState : .forbidden))
        }
        let recused = WorkflowContext(state: .withdrawn, relation: .recusedReviewer, phase: .open, submittedOnce: true)
        #expect(NominationWorkflow.decide(.view, recused).refusal?.kind == .notFound)
        let draft = WorkflowContext(state: .draft, relation: .administrator, phase: .open, submittedOnce: true)
        #expect(NominationWorkflow.decide(.view, draft).refusal?.kind == .notFound)
    }

    @Test("the buttons offered are the allowed actions")
    func offered() {
        let own = NominationWorkflow.allowedActions(WorkflowContext(state: .returned, relation: .ownCommittee, phase: .fixing))
        #expect(own == [.view, .save, .photo, .scan, .submit, .withdraw])
        let admin = NominationWorkflow.allowedActions(WorkflowContext(state: .submitted, relation: .administrator, phase: .closed))
        #expect(admin == [.view, .return, .approve, .reject, .integrity])
    }

    @Test("a returned nomination keeps its slot only while its 补正期限 runs")
    func slots() {
        let end = DayStamp(year: 2024, month: 6, day: 5).end
        #expect(NominationState.returned.occupiesSlot(fixUntil: end, at: end.addingTimeInterval(-1)))
        #expect(!NominationState.returned.occupiesSlot(fixUntil: end, at: end))
        #expect(NominationState.submitted.occupiesSlot(fixUntil: nil, at: end))
        #expect(NominationState.approved.occupiesSlot(fixUntil: nil, at: end))
        for state in [NominationState.draft, .rejected, .withdrawn] {
            #expect(!state.occupiesSlot(fixUntil: end, at: end.addingTimeInterval(-1)), "\(state)")
        }
    }
}
