import Fluent
import Foundation

/// A material package being built or ready: a zip of one committee's (or the whole campaign's) forms,
/// photos, 汇总表 and 附件1. Kept in the database so its progress shows on any instance behind the proxy.
final class PackageJob: Model, @unchecked Sendable {
    static let schema = "package_jobs"

    enum State: String, Sendable {
        case queued, running, done, failed

        var label: String {
            switch self {
            case .queued: "排队中"
            case .running: "生成中"
            case .done: "已完成"
            case .failed: "生成失败"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "updated_at") var updatedAt: Date
    @Parent(key: "campaign_id") var campaign: Campaign
    /// Nil: every committee of the campaign (alliance staff only).
    @OptionalParent(key: "committee_id") var committee: Committee?
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "with_pdf") var withPDF: Bool
    /// Forms and 汇总表 inside carry full ID numbers and phones, and the scans are in (`PersonalDataPolicy`).
    @Field(key: "full_personal_data") var fullPersonalData: Bool
    @Field(key: "state") var state: String
    @Field(key: "done") var done: Int
    @Field(key: "total") var total: Int
    @OptionalField(key: "file_size") var fileSize: Int?
    @OptionalField(key: "note") var note: String?
    /// The instance building it (`Application.instanceName`) and until when, unless it shows life again.
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    /// Builds started: one that brought its instance down is not tried a fourth time.
    @Field(key: "attempts") var attempts: Int

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $createdAt, $updatedAt, $campaign, $committee, $requestedBy, $withPDF, $fullPersonalData, $state,
         $done, $total, $fileSize, $note, $claimedBy, $leaseUntil, $attempts]
    }

    init() { attempts = 0 }

    var stateValue: State { State(rawValue: state) ?? .failed }
}
