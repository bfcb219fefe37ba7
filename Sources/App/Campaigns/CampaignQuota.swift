import Fluent

/// A committee's guiding number for one category in one campaign (附件1), and what approved over-quota
/// requests added to it. One row per category so later categories need no new column.
final class CampaignQuota: Model, @unchecked Sendable {
    static let schema = "campaign_quotas"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "committee_id") var committee: Committee
    @Field(key: "category") var category: String
    @Field(key: "guiding") var guiding: Int
    @Field(key: "granted") var granted: Int

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $campaign, $committee, $category, $guiding, $granted]
    }

    init() {}

    init(campaignID: Int, committeeID: Int, category: String, guiding: Int, granted: Int = 0) {
        self.$campaign.id = campaignID
        self.$committee.id = committeeID
        self.category = category
        self.guiding = guiding
        self.granted = granted
    }
}
