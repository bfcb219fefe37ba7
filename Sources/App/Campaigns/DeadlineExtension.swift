import Fluent
import Foundation
import HonorsCore

/// The administrator's extension of a campaign's deadline for one committee, with the reason on record.
final class DeadlineExtension: Model, @unchecked Sendable {
    static let schema = "deadline_extensions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "committee_id") var committee: Committee
    /// The new last day (`YYYY-MM-DD`, Beijing), inclusive.
    @Field(key: "until_on") var untilOn: String
    @Field(key: "reason") var reason: String
    @Field(key: "granted_by") var grantedBy: String

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $createdAt, $campaign, $committee, $untilOn, $reason, $grantedBy]
    }

    init() {}

    var until: DayStamp? { DayStamp(untilOn) }
}
