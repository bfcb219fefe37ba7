import Fluent
import Foundation
import HonorsCore
import SQLKit

/// What the public page says of a campaign's 公示, read in one statement: the award year, the 公示's period and
/// contacts, and the decision's number once the campaign is commended. Anyone may ask for this page, so it reads
/// columns, not models.
struct PublicNotice: Sendable {
    let campaignID: Int
    let awardYear: Int
    let period: PublicityPeriod
    let workingDays: Int
    let contactUnit: String
    let contactPhone: String
    let contactAddress: String
    /// The 表彰决定's number, nil until it is issued.
    let decisionNumber: String?

    /// The campaign's notice, nil when there is no such campaign or it has no 公示.
    static func load(campaignID: Int, on db: any Database) async throws -> PublicNotice? {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT c.award_year, p.start_on, p.end_on, p.started_at, p.working_days, p.contact_unit, p.contact_phone,
                   p.contact_address, m.decision_number
            FROM campaigns c JOIN publicities p ON p.campaign_id = c.id
            LEFT JOIN commendations m ON m.campaign_id = c.id
            WHERE c.id = \(bind: campaignID)
            """).first() else { return nil }
        return PublicNotice(
            campaignID: campaignID, awardYear: try row.decode(column: "award_year", as: Int.self),
            period: Publicity.period(startOn: try row.decode(column: "start_on", as: String.self),
                                     endOn: try row.decode(column: "end_on", as: String.self),
                                     startedAt: try row.decode(column: "started_at", as: Date.self)),
            workingDays: try row.decode(column: "working_days", as: Int.self),
            contactUnit: try row.decode(column: "contact_unit", as: String.self),
            contactPhone: try row.decode(column: "contact_phone", as: String.self),
            contactAddress: try row.decode(column: "contact_address", as: String.self),
            decisionNumber: try row.decode(column: "decision_number", as: String?.self))
    }
}
