import Fluent
import HonorsCore
import SQLKit

/// The lock two nominations racing for a committee's last slot both need: the committee's quota row for the
/// category. On PostgreSQL the second transaction waits here until the first commits, then counts again; on
/// SQLite writers already run one at a time.
enum QuotaLock {
    /// Locks the row and returns the committee's limit (guiding + granted) for the category.
    static func limit(campaignID: Int, committeeID: Int, category: String, on db: any Database) async throws -> Int {
        if let sql = db as? any SQLDatabase, !db.isSQLite {
            let row = try await sql.raw("""
                SELECT guiding, granted FROM campaign_quotas
                WHERE campaign_id = \(bind: campaignID) AND committee_id = \(bind: committeeID) AND category = \(bind: category)
                FOR UPDATE
                """).first()
            return try (row?.decode(column: "guiding", as: Int.self) ?? 0) + (row?.decode(column: "granted", as: Int.self) ?? 0)
        }
        let quota = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$committee.$id == committeeID).filter(\.$category == category).first()
        return (quota?.guiding ?? 0) + (quota?.granted ?? 0)
    }

    /// Locks the quota row of `nomination`'s committee and category, and counts the nominations beside it
    /// that match `condition` (`QuotaUsage.occupying`, `.committed`): the two numbers every slot check compares.
    static func position(of nomination: Nomination, counting condition: SQLGroupExpression,
                         on db: any Database) async throws -> (used: Int, limit: Int) {
        let campaignID = nomination.$campaign.id, committeeID = nomination.$committee.id
        let limit = try await limit(campaignID: campaignID, committeeID: committeeID, category: nomination.category, on: db)
        let used = try await QuotaUsage.count(campaignID: campaignID, committeeID: committeeID, category: nomination.category,
                                              excluding: try nomination.requireID(), where: condition, on: db)
        return (used, limit)
    }

    /// The refusal when the slots are used up, with the way to ask for more.
    static func fullErrors(category: NominationCategory, used: Int, limit: Int, verb: String) -> [String: String] {
        ["form": "本党委\(category.label)的名额已用完（已占用 \(used) / 可报 \(limit)），不能\(verb)。如确有特别优秀的推荐对象，可向联盟提出超额申请（见“超额申请”页面），获批后即可\(verb)。",
         "quotaRequest": category.rawValue]
    }
}
