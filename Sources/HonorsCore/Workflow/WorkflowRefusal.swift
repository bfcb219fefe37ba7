/// Why an action is refused, with the message the page shows next to the button the person pressed.
public struct Refusal: Sendable, Equatable, Error {
    public enum Kind: String, Sendable {
        /// The nomination is not theirs to see: answered as if it did not exist (404).
        case notFound
        /// Their role never does this (403).
        case forbidden
        /// Not in the nomination's current state (409).
        case wrongState
        /// Past the deadline, any extension and any 补正期限 (409, with the way to an extension).
        case closed
    }

    public let kind: Kind
    public let message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public static let notFound = Refusal(kind: .notFound, message: "未找到此推荐。")

    static func forbidden(_ action: NominationAction) -> Refusal {
        let who: String = switch action {
        case .view: "本党委经办人和联盟工作人员"
        case .save, .photo, .scan, .submit, .withdraw: "本党委经办人"
        case .return, .approve, .reject, .revert: "联盟管理员"
        case .review: "联盟审核人员"
        case .integrity: "联盟管理员和审核人员"
        case .publicize, .clear, .disqualify, .commend: "联盟管理员"
        }
        return Refusal(kind: .forbidden, message: "只有\(who)可以\(action.label)。")
    }

    static func wrongState(_ action: NominationAction, _ state: NominationState) -> Refusal {
        let message: String = switch (action, state) {
        case (.submit, .submitted): "此推荐已上报，不能重复上报。"
        case (.save, .submitted), (.photo, .submitted), (.scan, .submitted):
            "此推荐已上报联盟，不能修改；如需修改，请先撤回，或等待联盟退回修改。"
        case (.save, _), (.photo, _), (.scan, _), (.submit, _):
            "此推荐当前为“\(state.label)”，不能再\(action.label)。"
        case (.withdraw, .withdrawn): "此推荐已撤回。"
        case (.withdraw, _): "联盟已作出决定（\(state.label)），不能撤回；如有疑问请联系联盟。"
        case (.approve, .returned), (.return, .returned): "此推荐已退回修改，须待行业党委重新上报后再审核。"
        case (.revert, _) where NominationState.afterApproval.contains(state):
            "此推荐已进入公示（\(state.label)），不能再撤销审核决定；如有异议，请在公示页面登记核查结果。"
        case (.revert, _): "只有已审核通过或未通过的推荐才能撤销决定。"
        case (.publicize, _): "只有审核通过的推荐才能列入公示，此推荐当前为“\(state.label)”。"
        case (.commend, _): "只有公示无异议的推荐才能列入表彰决定，此推荐当前为“\(state.label)”。"
        case (.disqualify, _): "只有公示中或公示无异议的推荐才能取消表彰资格，此推荐当前为“\(state.label)”。"
        default: "此推荐当前为“\(state.label)”，不能\(action.label)。"
        }
        return Refusal(kind: .wrongState, message: message)
    }

    static func closed(_ action: NominationAction, _ context: WorkflowContext) -> Refusal {
        if context.state == .returned, let fixBy = context.fixBy {
            return Refusal(kind: .closed, message:
                "补正期限（\(fixBy.chinese)）已过，不能再\(action.label)。如确需补正，请联系联盟。")
        }
        return entriesClosed(deadline: context.deadline, verb: action.label)
    }

    /// A closed campaign: nothing changes any more.
    static func campaignClosed(_ action: NominationAction) -> Refusal {
        Refusal(kind: .closed, message: "本次推荐活动已结束并归档，所有记录只读，不能再\(action.label)。")
    }

    /// 公示无异议 is confirmed only after the period's last day.
    public static let publicityRunning = Refusal(kind: .closed, message: "公示期尚未结束，结束后才能确认公示无异议。")

    /// Past the committee's last day: nothing more is entered, with the way to an extension.
    public static func entriesClosed(deadline: DayStamp?, verb: String) -> Refusal {
        let day = deadline.map { "（\($0.chinese)）" } ?? ""
        return Refusal(kind: .closed, message:
            "已过报送截止时间\(day)，不能再\(verb)。如确需补报，请联系联盟申请延长本党委的截止日期。")
    }
}
