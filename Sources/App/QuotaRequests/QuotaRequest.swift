import Fluent
import Foundation

/// 超额申请: a committee asks for more than its guiding number in one category; the administrator decides.
final class QuotaRequest: Model, @unchecked Sendable {
    static let schema = "quota_requests"

    enum State: String, Sendable {
        case pending, approved, refused

        var label: String {
            switch self {
            case .pending: "待审批"
            case .approved: "已批准"
            case .refused: "未批准"
            }
        }
    }

    // Managed
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // Data
    @Field(key: "category") var category: String
    @Field(key: "extra") var extra: Int
    @Field(key: "reason") var reason: String
    @Field(key: "state") var state: String
    @Field(key: "requested_by") var requestedBy: String
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?

    // Relations
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "committee_id") var committee: Committee

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $createdAt, $category, $extra, $reason, $state, $requestedBy, $decidedBy, $decidedAt,
         $decisionNote, $campaign, $committee]
    }

    init() {}

    var stateValue: State { State(rawValue: state) ?? .pending }
}
