import Fluent
import SQLKit

/// A campaign's committees in the notice's order (`CommitteeDirectory`) and its quota rows (附件1), read as two
/// statements: what the quota table and the dashboard's progress overview are both built from.
struct QuotaSheet: Sendable {
    struct Quota: Sendable {
        let committeeID: Int
        let category: String
        let guiding: Int
        let granted: Int
    }

    let campaignID: Int
    /// Nil: every committee.
    let onlyCommittee: Int?
    let committees: [(id: Int, name: String)]
    let quotas: [Quota]

    /// As `user` may see it: a committee's operator only their own committee's row.
    static func load(campaignID: Int, for user: CurrentUser, on db: any Database) async throws -> QuotaSheet {
        try await load(campaignID: campaignID, onlyCommittee: onlyCommittee(for: user), on: db)
    }

    static func load(campaignID: Int, onlyCommittee: Int? = nil, on db: any Database) async throws -> QuotaSheet {
        QuotaSheet(campaignID: campaignID, onlyCommittee: onlyCommittee, directory: try await CommitteeDirectory.load(on: db),
                   quotas: try await quotas(campaignID: campaignID, onlyCommittee: onlyCommittee, on: db))
    }

    /// The committee a user's sheet is narrowed to: a committee's operator sees only their own.
    static func onlyCommittee(for user: CurrentUser) -> Int? {
        user.role.seesAllCommittees ? nil : (user.committeeID ?? -1)
    }

    /// The quota rows alone, for a page that has its committees already.
    static func quotas(campaignID: Int, onlyCommittee: Int? = nil, on db: any Database) async throws -> [Quota] {
        let select = (db as! any SQLDatabase).select().columns("committee_id", "category", "guiding", "granted").from(CampaignQuota.schema)
            .where("campaign_id", .equal, SQLBind(campaignID))
        if let onlyCommittee { select.where("committee_id", .equal, SQLBind(onlyCommittee)) }
        return try await select.all().map { row in
            Quota(committeeID: try row.decode(column: "committee_id", as: Int.self), category: try row.decode(column: "category", as: String.self),
                  guiding: try row.decode(column: "guiding", as: Int.self), granted: try row.decode(column: "granted", as: Int.self))
        }
    }
}

extension QuotaSheet {
    /// From the directory and the campaign's quota rows (of every committee or only `onlyCommittee`'s).
    init(campaignID: Int, onlyCommittee: Int?, directory: CommitteeDirectory, quotas: [Quota]) {
        self.init(campaignID: campaignID, onlyCommittee: onlyCommittee,
                  committees: directory.ordered.filter { onlyCommittee == nil || $0.id == onlyCommittee },
                  quotas: quotas.filter { onlyCommittee == nil || $0.committeeID == onlyCommittee })
    }
}
