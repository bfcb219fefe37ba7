/// Everything a person can do to a nomination. `NominationWorkflow` says who may do which, in which state
/// and phase; App's `NominationTransitions.apply` carries it out.
public enum NominationAction: String, CaseIterable, Sendable, Codable {
    /// Open its page, its form and its photo.
    case view
    /// Change its data (the form's fields and the committee's opinion).
    case save
    /// Upload the 二寸免冠照片.
    case photo
    /// Upload the 盖章扫描件 of the signed and stamped form.
    case scan
    /// 上报: send it to the alliance.
    case submit
    /// 撤回: the committee takes it back.
    case withdraw
    /// 退回修改: the alliance sends it back with a reason and a 补正期限.
    case `return`
    /// 审核通过, with the alliance's opinion.
    case approve
    /// 不通过, with a reason.
    case reject
    /// 撤销决定: the administrator takes a decision back, with a reason.
    case revert
    /// A reviewer's note and recommendation.
    case review
    /// Recording the 纪检 reply.
    case integrity
    /// 列入公示: onto the 拟表彰 list when the administrator starts the 公示.
    case publicize
    /// 公示无异议: the period ended and no objection was upheld.
    case clear
    /// 取消表彰资格: an objection against it was upheld.
    case disqualify
    /// 表彰: named in the commendation decision.
    case commend

    public var label: String {
        switch self {
        case .view: "查看"
        case .save: "修改"
        case .photo: "上传照片"
        case .scan: "上传盖章扫描件"
        case .submit: "上报"
        case .withdraw: "撤回"
        case .return: "退回修改"
        case .approve: "审核通过"
        case .reject: "不予通过"
        case .revert: "撤销决定"
        case .review: "填写评审意见"
        case .integrity: "登记纪检意见"
        case .publicize: "列入公示"
        case .clear: "确认公示无异议"
        case .disqualify: "取消表彰资格"
        case .commend: "表彰"
        }
    }

    /// Taken for the campaign's list at once, on the 公示 and 表彰 pages (an objection's outcome for
    /// `disqualify`), not with a button on the nomination's own page.
    public var isCampaignStep: Bool { [.publicize, .clear, .disqualify, .commend].contains(self) }

    /// Changes what the form prints (its data, photo or scan). A withdrawn nomination changed so is the
    /// committee's own draft again: the alliance's record of it ends with the withdrawal.
    public var changesForm: Bool { self == .save || self == .photo || self == .scan }

    /// The audit trail's name for the action (`nomination.submit`, …); an edit keeps the name it always had.
    public var auditName: String { self == .save ? "nomination.update" : "nomination." + rawValue }
}
