import Fluent
import HonorsCore
import SQLKit
import Vapor

/// A campaign's shape for the alliance (`/campaigns/{id}/composition`): per committee and category what was
/// submitted and approved against guiding and granted, the front-line share of each committee's people, and
/// the make-up of both lists by every `CompositionFacet`. Read from `nomination_composition` (per committee),
/// `nomination_composition_overall` (every committee together) and the quotas only: a few hundred small rows
/// for the tables, whatever the number of nominations or committees.
struct CompositionReport: Sendable {
    struct Filters: Sendable, Equatable {
        var committee: Int?
        var category: NominationCategory?

        init(committee: Int? = nil, category: NominationCategory? = nil) {
            self.committee = committee
            self.category = category
        }

        init(_ req: Request) {
            committee = req.queryInt("committee")
            category = req.queryValue("category").flatMap(NominationCategory.init(rawValue:))
        }

        /// The query string of these filters, for the Excel link.
        var query: String {
            [committee.map { "committee=\($0)" }, category.map { "category=\($0.rawValue)" }].compactMap { $0 }.joined(separator: "&")
        }

        var categories: [NominationCategory] { category.map { [$0] } ?? NominationCategory.quotaTableOrder }
    }

    struct Committee: Sendable {
        let id: Int
        let name: String
    }

    /// One committee and category: the quota against what reached the alliance and what it approved.
    struct Progress: Sendable {
        let committee: Committee
        let category: NominationCategory
        let guiding: Int
        let granted: Int
        let submitted: Int
        let approved: Int
    }

    let campaignID: Int
    let awardYear: Int
    let filters: Filters
    /// The committees the user may choose from, and those shown, in the notice's order.
    let available: [Committee]
    let committees: [Committee]
    let progress: [Progress]
    let frontline: [FrontlineLine]
    let tables: [CompositionTable]

    /// Whom the report covers, in words: "全部行业党委 · 全部类别".
    /// Every committee shown as one line.
    var frontlineTotal: FrontlineLine {
        FrontlineLine(committeeID: 0, submittedPeople: frontline.reduce(0) { $0 + $1.submittedPeople },
                      submittedFrontline: frontline.reduce(0) { $0 + $1.submittedFrontline },
                      approvedPeople: frontline.reduce(0) { $0 + $1.approvedPeople },
                      approvedFrontline: frontline.reduce(0) { $0 + $1.approvedFrontline })
    }

    var scope: String {
        let committee = filters.committee.flatMap { id in committees.first { $0.id == id }?.name } ?? "全部行业党委"
        return "\(committee) · \(filters.category?.label ?? "全部类别")"
    }

    /// The report of `campaign` as `user` may see it, from its quota rows and the committees as the page read
    /// them: a reviewer's recused committees are left out, and a committee filter naming one the user may not
    /// see is not found.
    static func load(_ campaign: CampaignHeader, filters: Filters, for user: CurrentUser, quotas: [QuotaSheet.Quota],
                     directory: CommitteeDirectory, on db: any Database) async throws -> CompositionReport {
        let campaignID = campaign.id
        let withQuota = Set(quotas.map(\.committeeID))
        let visible = directory.ordered
            .filter { withQuota.contains($0.id) && user.canSee(committeeID: $0.id) }
            .map { Committee(id: $0.id, name: $0.name) }
        if let chosen = filters.committee, !visible.contains(where: { $0.id == chosen }) { throw Abort(.notFound) }
        let committees = visible.filter { filters.committee == nil || $0.id == filters.committee }
        let categories = filters.categories
        // Per committee only 一线 (yes or no); the tables sum every committee shown (`overall`); how many reached each
        // stage comes from the tallies.
        let counts = try await Self.counts(campaignID: campaignID, committees: committees.map(\.id), categories: categories,
                                           facets: [.frontline], on: db)
        var reached: [Int: [NominationCategory: [CompositionStage: Int]]] = [:]
        for (key, n) in try await NominationTally(campaignID: campaignID, categories: categories.map(\.rawValue)).byCommitteeCategoryState(on: db) {
            guard let category = NominationCategory(rawValue: key.category), let state = NominationState(rawValue: key.state) else { continue }
            for stage in CompositionStage.allCases where stage.includes(state) {
                reached[key.committee, default: [:]][category, default: [:]][stage, default: 0] += n
            }
        }
        let shownIDs = Set(committees.map(\.id))
        let overall = try await Self.overall(campaignID: campaignID, shown: committees.map(\.id),
                                             leftOut: directory.ordered.map(\.id).filter { !shownIDs.contains($0) },
                                             categories: categories, on: db)
        let progress = committees.flatMap { committee in
            categories.map { category in
                let quota = quotas.first { $0.committeeID == committee.id && $0.category == category.rawValue }
                let counted = reached[committee.id]?[category]
                return Progress(committee: committee, category: category, guiding: quota?.guiding ?? 0, granted: quota?.granted ?? 0,
                                submitted: counted?[.submitted] ?? 0, approved: counted?[.approved] ?? 0)
            }
        }
        let chosen = Set(categories)
        return CompositionReport(
            campaignID: campaignID, awardYear: campaign.awardYear, filters: filters, available: visible, committees: committees, progress: progress,
            frontline: CompositionSummary.frontline(counts, committees: committees.map(\.id), categories: chosen.filter(\.isPerson)),
            tables: CompositionSummary.tables(overall, awardYear: campaign.awardYear, categories: chosen))
    }

    /// The overall tables' counts of the `shown` committees, summed over them: every committee's
    /// (`nomination_composition_overall`, a line per value) less the lines of the committees `leftOut` (every other
    /// committee there is: a reviewer's recusals, committees without a quota), in one statement so that both are
    /// read at one moment; when more are left out than shown (one committee chosen), the shown committees' own
    /// lines summed instead.
    static func overall(campaignID: Int, shown: [Int], leftOut: [Int], categories: [NominationCategory],
                        on db: any Database) async throws -> [CompositionCount] {
        guard leftOut.count < shown.count else {
            return try await counts(campaignID: campaignID, committees: shown, categories: categories, byCommittee: false, on: db)
        }
        guard !leftOut.isEmpty else { return try await everyCommittee(campaignID: campaignID, categories: categories, on: db) }
        guard !categories.isEmpty else { return [] }
        // Numbers and the categories' and states' own names only: nothing a user typed goes into the text. The left-out
        // lines are taken away as the overall table's triggers take a deleted line away (`changes`).
        let chosen = categories.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let names = CreateCompositionOverall.columns.joined(separator: ", ")
        let rows = try await (db as! any SQLDatabase).raw(SQLQueryString(stringLiteral: """
            SELECT category, facet, value, CAST(SUM(submitted) AS BIGINT) AS submitted, CAST(SUM(approved) AS BIGINT) AS approved FROM (
            SELECT \(names), submitted, approved FROM \(CreateCompositionOverall.table)
            WHERE campaign_id = \(campaignID) AND category IN (\(chosen))
            UNION ALL
            \(CreateCompositionOverall.changes("c", from: "nomination_composition", sign: "-"))
            AND c.campaign_id = \(campaignID) AND c.committee_id IN (\(leftOut.map(String.init).joined(separator: ", "))) AND c.category IN (\(chosen))
            ) AS lines GROUP BY category, facet, value
            """)).plainRows(many: true)
        return try rows.compactMap { row in try count(row, committeeID: 0) }
    }

    /// Every committee's counts of `categories`, as `nomination_composition_overall` holds them: a line per value,
    /// each row's `committeeID` 0.
    static func everyCommittee(campaignID: Int, categories: [NominationCategory], on db: any Database) async throws -> [CompositionCount] {
        guard !categories.isEmpty else { return [] }
        let rows = try await (db as! any SQLDatabase).select().columns("category", "facet", "value", "submitted", "approved")
            .from(CreateCompositionOverall.table)
            .where("campaign_id", .equal, campaignID)
            .where("category", .in, categories.map(\.rawValue)).plainRows(many: true)
        return try rows.compactMap { row in try count(row, committeeID: 0) }
    }

    /// The stored counts of these committees and categories (of `facets`, nil for all), summed in the database over
    /// each stage's states: a row per committee, category and value, however many states there are. Not
    /// `byCommittee`: summed over the committees too, each row's `committeeID` 0.
    static func counts(campaignID: Int, committees: [Int], categories: [NominationCategory], facets: [CompositionFacet]? = nil,
                       byCommittee: Bool = true, on db: any Database) async throws -> [CompositionCount] {
        guard !committees.isEmpty, !categories.isEmpty, facets?.isEmpty != true else { return [] }
        func sum(_ stage: CompositionStage) -> SQLExpression {
            SQLRaw("CAST(SUM(CASE WHEN \(CreateCompositionOverall.within(stage)) THEN n ELSE 0 END) AS BIGINT)")
        }
        let select = (db as! any SQLDatabase).select()
            .column(byCommittee ? SQLColumn("committee_id") : SQLRaw("0"), as: "committee_id").column("category").column("facet").column("value")
            .column(sum(.submitted), as: "submitted").column(sum(.approved), as: "approved")
            .from("nomination_composition")
            .where("campaign_id", .equal, campaignID)
            .where("committee_id", .in, committees)
            .where("category", .in, categories.map(\.rawValue))
            .where("state", .in, CompositionStage.submitted.states.map(\.rawValue))
        if let facets { select.where("facet", .in, facets.map(\.rawValue)) }
        if byCommittee { select.groupBy("committee_id") }
        let rows = try await select.groupBy("category").groupBy("facet").groupBy("value").plainRows(many: true)
        return try rows.compactMap { row in try count(row, committeeID: try row.decode(column: "committee_id", as: Int.self)) }
    }

    /// A row of `category`, `facet`, `value`, `submitted` and `approved`; nil when both lists are empty.
    private static func count(_ row: PlainRow, committeeID: Int) throws -> CompositionCount? {
        guard let category = NominationCategory(rawValue: try row.decode(column: "category", as: String.self)),
              let facet = CompositionFacet(rawValue: try row.decode(column: "facet", as: String.self)) else { return nil }
        let submitted = try row.decode(column: "submitted", as: Int.self), approved = try row.decode(column: "approved", as: Int.self)
        guard submitted != 0 || approved != 0 else { return nil }
        return CompositionCount(committeeID: committeeID, category: category, facet: facet,
                                value: try row.decode(column: "value", as: String.self), submitted: submitted, approved: approved)
    }
}
