/// A reviewer's recommendation on a submitted nomination.
public enum ReviewRecommendation: String, CaseIterable, Sendable, Codable {
    case recommend
    case undecided
    case against

    public var label: String {
        switch self {
        case .recommend: "推荐"
        case .undecided: "待定"
        case .against: "不推荐"
        }
    }
}

/// The discipline inspection side's reply on one nominee (征求纪检意见), field `integrity_result`.
public enum IntegrityResult: String, CaseIterable, Sendable, Codable {
    /// 无意见: nothing stands against the nominee.
    case clear
    /// 有问题: a matter was raised; the alliance looks into it.
    case concern
    /// 不宜推荐: the nominee should not be commended.
    case unsuitable

    public var label: String {
        switch self {
        case .clear: "无意见"
        case .concern: "有问题"
        case .unsuitable: "不宜推荐"
        }
    }

    /// Only a 无意见 reply lets the alliance approve.
    public var permitsApproval: Bool { self == .clear }
}
