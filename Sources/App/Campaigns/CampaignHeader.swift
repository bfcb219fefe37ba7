import Fluent
import Foundation
import HonorsCore
import SQLKit

/// A campaign's days as stored (issue day, deadline, closing): what `Campaign` and `CampaignHeader` both answer
/// "is it open?" and "until when?" from.
struct CampaignDays: Sendable {
    let issuedOn: String
    let deadlineOn: String
    let awardYear: Int
    let closedAt: Date?

    var issued: DayStamp { DayStamp(issuedOn) ?? DayStamp(year: awardYear + 1, month: 1, day: 1) }
    var deadline: DayStamp { DayStamp(deadlineOn) ?? issued }

    /// Nominations are taken from the issue day until the end of the deadline day, unless closed.
    func isOpen(at now: Date) -> Bool { closedAt == nil && issued.start <= now && now < deadline.end }
}

/// The few columns of a campaign a page that only names it and asks the workflow needs, read as one statement
/// (the review desk is read all day; a `Campaign` model carries twenty columns and Fluent's reflection).
struct CampaignHeader: Sendable {
    let id: Int
    let title: String
    let documentNumber: String
    let days: CampaignDays

    var awardYear: Int { days.awardYear }

    private static let columns = ["id", "title", "document_number", "award_year", "issued_on", "deadline_on", "closed_at"]

    init(id: Int, title: String, documentNumber: String, days: CampaignDays) {
        self.id = id
        self.title = title
        self.documentNumber = documentNumber
        self.days = days
    }

    init(_ row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int.self)
        title = try row.decode(column: "title", as: String.self)
        documentNumber = try row.decode(column: "document_number", as: String.self)
        days = CampaignDays(issuedOn: try row.decode(column: "issued_on", as: String.self),
                            deadlineOn: try row.decode(column: "deadline_on", as: String.self),
                            awardYear: try row.decode(column: "award_year", as: Int.self),
                            closedAt: try row.decode(column: "closed_at", as: Date?.self))
    }

    static func find(_ id: Int, on db: any Database) async throws -> CampaignHeader? {
        try await (db as! any SQLDatabase).select().columns(columns).from(Campaign.schema).where("id", .equal, SQLBind(id))
            .first().map(CampaignHeader.init)
    }

    /// The campaign open now (the most recently issued if several are), else the most recently issued.
    static func current(among campaigns: [CampaignHeader], now: Date) -> CampaignHeader? {
        campaigns.first { $0.days.isOpen(at: now) } ?? campaigns.first
    }

    /// The most recent campaigns, latest issued first, for a page that picks the one open now.
    static func recent(_ limit: Int = 20, on db: any Database) async throws -> [CampaignHeader] {
        try await (db as! any SQLDatabase).select().columns(columns).from(Campaign.schema)
            .orderBy("issued_on", .descending).orderBy("id", .descending).limit(limit).all().map(CampaignHeader.init)
    }
}
