import Fluent
import SQLKit
import HonorsCore
import Vapor

/// 附件1 for a campaign as the pages show it: one row per committee in the notice's order, a cell per
/// category with guiding, granted, used and left, and the totals line.
struct QuotaTable: Encodable {
    /// Templates show the table as it is written here (`QuotaTableView.swift`).
    enum CodingKeys: String, CodingKey { case html }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(html.markup, forKey: .html)
    }

    struct Column: Encodable {
        let key: String
        let label: String
    }

    struct Cell: Encodable {
        let category: String
        let guiding: Int
        let granted: Int
        let limit: Int
        let used: Int
        let left: Int

        init(category: String, line: QuotaLine) {
            self.category = category
            guiding = line.guiding
            granted = line.granted
            limit = line.limit
            used = line.used
            left = line.left
        }
    }

    struct Row {
        let number: Int
        let committeeID: Int
        let committeeName: String
        let cells: [Cell]
    }

    let columns: [Column]
    let rows: [Row]
    let totals: [Cell]
    let showTotals: Bool

    /// Builds the table as `user` may see it: a committee operator gets only their own row, without totals.
    static func load(campaignID: Int, for user: CurrentUser, at now: Date, on db: any Database) async throws -> QuotaTable {
        try await load(QuotaSheet.load(campaignID: campaignID, for: user, on: db), at: now, on: db)
    }

    /// Builds the table for every committee, or only for `onlyCommittee` (then without totals).
    static func load(campaignID: Int, onlyCommittee: Int?, at now: Date, on db: any Database) async throws -> QuotaTable {
        try await load(QuotaSheet.load(campaignID: campaignID, onlyCommittee: onlyCommittee, on: db), at: now, on: db)
    }

    /// Builds the table from a sheet already read.
    static func load(_ sheet: QuotaSheet, at now: Date, on db: any Database) async throws -> QuotaTable {
        let categories = NominationCategory.quotaTableOrder
        let (committees, quotas, onlyCommittee) = (sheet.committees, sheet.quotas, sheet.onlyCommittee)
        let used = try await QuotaUsage.counts(campaignID: sheet.campaignID, committeeID: onlyCommittee, at: now, on: db)

        var lines: [Int: [String: QuotaLine]] = [:]
        for quota in quotas {
            lines[quota.committeeID, default: [:]][quota.category] =
                QuotaLine(guiding: quota.guiding, granted: quota.granted, used: used[quota.committeeID]?[quota.category] ?? 0)
        }
        // Committees without quota rows in this campaign (added later, or inactive) are left out, unless
        // they have nominations counted.
        let shown = committees.filter { lines[$0.id] != nil || used[$0.id] != nil }
        let rows = shown.enumerated().map { index, committee in
            let id = committee.id
            return Row(number: index + 1, committeeID: id, committeeName: committee.name,
                       cells: categories.map { category in
                           var line = lines[id]?[category.rawValue] ?? QuotaLine(guiding: 0)
                           line.used = used[id]?[category.rawValue] ?? line.used
                           return Cell(category: category.rawValue, line: line)
                       })
        }
        let totals = categories.enumerated().map { index, category in
            Cell(category: category.rawValue, line: rows.reduce(QuotaLine(guiding: 0)) { sum, row in
                sum + QuotaLine(guiding: row.cells[index].guiding, granted: row.cells[index].granted,
                                used: row.cells[index].used)
            })
        }
        return QuotaTable(columns: categories.map { Column(key: $0.rawValue, label: $0.label) },
                          rows: rows, totals: totals, showTotals: onlyCommittee == nil)
    }
}

/// How many slots each committee uses per category in a campaign: committee id → category → count.
/// Derived from state, counted in the database: submitted and approved nominations, and returned ones whose
/// 补正期限 still runs (`NominationState.occupiesSlot`, the same rule).
enum QuotaUsage {
    /// Returned, and its 补正期限 still runs at `now`.
    static func fixing(at now: Date) -> SQLGroupExpression {
        SQLGroupExpression(SQLBinaryExpression(
            SQLBinaryExpression(SQLIdentifier("state"), .equal, SQLBind(NominationState.returned.rawValue)),
            .and, SQLBinaryExpression(SQLIdentifier("fix_until"), .greaterThan, SQLBind(now))))
    }

    /// `state` and `fix_until` occupy a slot at `now`.
    static func occupying(at now: Date) -> SQLGroupExpression {
        SQLGroupExpression(SQLBinaryExpression(
            SQLBinaryExpression(SQLIdentifier("state"), .in, SQLGroupExpression(NominationState.occupyingSlot.map { SQLBind($0.rawValue) })),
            .or, fixing(at: now)))
    }

    /// A slot already promised at `now`: approved, or returned within its 补正期限. An approval must fit beside
    /// these; nominations still waiting for a decision do not count against it.
    static func committed(at now: Date) -> SQLGroupExpression {
        SQLGroupExpression(SQLBinaryExpression(
            SQLBinaryExpression(SQLIdentifier("state"), .equal, SQLBind(NominationState.approved.rawValue)), .or, fixing(at: now)))
    }

    /// Committee id → category → slots in use at `now` (`committedOnly`: only those already promised, as
    /// `committed(at:)`): the states' tallies, and the returned nominations whose 补正期限 still runs, counted
    /// per 补正期限 (`CreateNominationFixTally`), read as one statement. `committeeID` narrows both to one committee.
    static func counts(campaignID: Int, committeeID: Int? = nil, at now: Date, committedOnly: Bool = false,
                       on db: any Database) async throws -> [Int: [String: Int]] {
        let states = committedOnly ? [NominationState.approved] : NominationState.allCases.filter(NominationState.occupyingSlot.contains)
        let fixing = fixingSelect(campaignID: campaignID, committeeID: committeeID, at: now, on: db)
        let tally = NominationTally(campaignID: campaignID, committeeID: committeeID, states: states.map(\.rawValue))
            .byCommitteeAndCategorySelect(on: db)
        let rows = if let tally { try await tally.union(all: { _ in fixing }).plainRows() } else { try await fixing.plainRows() }
        return try NominationTally.summed(rows)
    }

    /// Returned nominations whose 补正期限 runs past `now`, by committee and category (rows `committee_id`,
    /// `category`, `n`), from their counts per 补正期限.
    private static func fixingSelect(campaignID: Int, committeeID: Int?, at now: Date, on db: any Database) -> SQLSelectBuilder {
        let query = (db as! any SQLDatabase).select()
            .column("committee_id").column("category").column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "n")
            .from(CreateNominationFixTally.table)
            .where("campaign_id", .equal, campaignID)
            .where("fix_until", .greaterThan, SQLBind(now))
        if let committeeID { query.where("committee_id", .equal, committeeID) }
        return query.groupBy("committee_id").groupBy("category")
    }

    /// Committee id → category → nominations matching `condition` (occupying slots, by default), counted row by
    /// row: for `honors check` to hold the tallies to.
    static func recount(campaignID: Int, committeeID: Int? = nil, at now: Date, where condition: SQLGroupExpression? = nil,
                        on db: any Database) async throws -> [Int: [String: Int]] {
        try NominationTally.summed(try await recountSelect(campaignID: campaignID, committeeID: committeeID, at: now,
                                                           where: condition, on: db).plainRows())
    }

    private static func recountSelect(campaignID: Int, committeeID: Int?, at now: Date, where condition: SQLGroupExpression?,
                                      on db: any Database) -> SQLSelectBuilder {
        let query = (db as! any SQLDatabase).select()
            .column("committee_id").column("category").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Nomination.schema)
            .where("campaign_id", .equal, campaignID)
            .where(condition ?? occupying(at: now))
        if let committeeID { query.where("committee_id", .equal, committeeID) }
        return query.groupBy("committee_id").groupBy("category")
    }

    /// One committee's line for one category, as the nomination pages show it; nil without a quota row among
    /// `quotas` (the campaign's). Counted as `counts` counts: the states' tallies and the returned nominations
    /// still in their 补正期限.
    static func cell(campaignID: Int, committeeID: Int, category: String, quotas: [QuotaSheet.Quota], at now: Date,
                     on db: any Database) async throws -> QuotaTable.Cell? {
        guard let quota = quotas.first(where: { $0.committeeID == committeeID && $0.category == category }) else { return nil }
        let used = try await counts(campaignID: campaignID, committeeID: committeeID, at: now, on: db)[committeeID]?[category] ?? 0
        return QuotaTable.Cell(category: category, line: QuotaLine(guiding: quota.guiding, granted: quota.granted, used: used))
    }

    /// Slots of one committee and category used at `now`, leaving out `excluding` (the nomination being
    /// submitted, which may hold a slot of its own while returned).
    static func used(campaignID: Int, committeeID: Int, category: String, at now: Date, excluding: Int? = nil,
                     on db: any Database) async throws -> Int {
        try await count(campaignID: campaignID, committeeID: committeeID, category: category, excluding: excluding,
                        where: occupying(at: now), on: db)
    }

    /// Nominations of one committee and category matching `condition`, leaving out `excluding`.
    static func count(campaignID: Int, committeeID: Int, category: String, excluding: Int?,
                              where condition: any SQLExpression, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        var query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Nomination.schema)
            .where("campaign_id", .equal, campaignID).where("committee_id", .equal, committeeID)
            .where("category", .equal, category).where(condition)
        if let excluding { query = query.where("id", .notEqual, excluding) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
