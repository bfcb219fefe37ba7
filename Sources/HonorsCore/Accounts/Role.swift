/// The three kinds of account. Stored as the raw string, so later roles fit without a migration.
public enum Role: String, CaseIterable, Sendable, Codable {
    case admin
    case reviewer
    case committee

    public var label: String {
        switch self {
        case .admin: "联盟管理员"
        case .reviewer: "联盟审核人员"
        case .committee: "行业党委经办人"
        }
    }

    /// A committee operator works for exactly one committee; the alliance roles for none.
    public var needsCommittee: Bool { self == .committee }

    /// Alliance roles read every committee's data.
    public var seesAllCommittees: Bool { self != .committee }
}
