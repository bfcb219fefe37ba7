/// 推荐类别: the three awards of "两优一先". The raw value is the `category` key stored everywhere.
public enum NominationCategory: String, CaseIterable, Sendable, Codable, Hashable {
    case org
    case member
    case worker

    public var label: String {
        switch self {
        case .org: "先进基层党组织"
        case .member: "优秀共产党员"
        case .worker: "优秀党务工作者"
        }
    }

    /// The title printed on the approval form.
    public var formTitle: String { "\(label)推荐和审批表" }

    /// Which attachment of the notice holds the form (附件2, 附件3, 附件4).
    public var attachmentNumber: Int {
        switch self {
        case .org: 2
        case .member: 3
        case .worker: 4
        }
    }

    /// People carry ID numbers, photos and dates; organisations do not.
    public var isPerson: Bool { self != .org }

    /// Counting word used with quotas: 9 个 organisations, 9 名 people.
    public var countUnit: String { isPerson ? "名" : "个" }

    /// Column order of 附件1 (推荐名额指导性计划分配表), which differs from the order of the forms.
    public static let quotaTableOrder: [NominationCategory] = [.org, .worker, .member]
}
