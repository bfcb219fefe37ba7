import Fluent
import Foundation
import HonorsCore
import SQLKit

/// A campaign's deadline and the extensions granted to committees, read once: what every workflow question
/// about a nomination's phase needs.
struct CampaignDeadlines: Sendable {
    let campaign: DayStamp
    /// Committee id → the latest day granted to it.
    let extended: [Int: DayStamp]
    /// The end of the 公示's last day, once one was started.
    var publicityEnd: Date? = nil
    /// The campaign was closed: read-only.
    var closed = false

    /// The last day `committeeID` may submit: its extension, or the campaign's deadline.
    func lastDay(for committeeID: Int) -> DayStamp {
        max(campaign, extended[committeeID] ?? campaign)
    }

    /// One statement, read on every nomination page and desk: the extensions (rows with a committee) and the
    /// 公示's last day (the row without one).
    static func load(_ campaign: Campaign, on db: any Database) async throws -> CampaignDeadlines {
        try await load(campaignID: try campaign.requireID(), days: campaign.days, on: db)
    }

    static func load(campaignID id: Int, days: CampaignDays, on db: any Database) async throws -> CampaignDeadlines {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().column("committee_id").column("until_on", as: "day").from(DeadlineExtension.schema)
            .where("campaign_id", .equal, SQLBind(id))
            .union(all: { _ in
                sql.select().column(SQLLiteral.null, as: "committee_id").column("end_on", as: "day").from(Publicity.schema)
                    .where("campaign_id", .equal, SQLBind(id))
            }).all()
        var extended: [Int: DayStamp] = [:]
        var publicityEnd: DayStamp?
        for row in rows {
            guard let day = DayStamp(try row.decode(column: "day", as: String.self)) else { continue }
            guard let committee = try row.decode(column: "committee_id", as: Int?.self) else {
                publicityEnd = day
                continue
            }
            extended[committee] = max(day, extended[committee] ?? day)
        }
        return CampaignDeadlines(campaign: days.deadline, extended: extended, publicityEnd: publicityEnd?.end,
                                 closed: days.closedAt != nil)
    }
}

/// What the workflow needs of one nomination: a model, or one read with just these columns (state,
/// committee, fix_by, fix_until, submitted_at), as lists do.
struct WorkflowSubject: Sendable {
    let state: NominationState
    let committeeID: Int
    let fixBy: DayStamp?
    let fixUntil: Date?
    let submittedOnce: Bool

    init(_ nomination: Nomination) {
        self.init(state: nomination.stateValue, committeeID: nomination.$committee.id, fixBy: nomination.fixBy,
                  fixUntil: nomination.fixUntil, submittedAt: nomination.submittedAt)
    }

    /// From the columns as stored, for lists that read rows rather than models.
    init(state: NominationState, committeeID: Int, fixBy: String?, fixUntil: Date?, submittedAt: Date?) {
        self.state = state
        self.committeeID = committeeID
        self.fixBy = fixBy.flatMap(DayStamp.init)
        self.fixUntil = fixUntil
        submittedOnce = submittedAt != nil
    }

    /// The workflow's question for `user` at `now`.
    func context(for user: CurrentUser, deadlines: CampaignDeadlines, now: Date) -> WorkflowContext {
        let lastDay = deadlines.lastDay(for: committeeID)
        let phase = CampaignPhase.at(now, campaignDeadlineEnd: deadlines.campaign.end,
                                     committeeDeadlineEnd: lastDay.end, state: state, fixUntil: fixUntil)
        return WorkflowContext(state: state, relation: user.relation(toCommittee: committeeID), phase: phase,
                               deadline: lastDay, fixBy: state == .returned ? fixBy : nil, submittedOnce: submittedOnce,
                               publicityEnded: deadlines.publicityEnd.map { now >= $0 } ?? false,
                               campaignClosed: deadlines.closed)
    }
}
