import Fluent
import FluentSQL
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// `GET /review`: the alliance's desk, every nomination under review by committee and category, with its
/// scan, 纪检 reply, reviewers' recommendations and the committee's quota position; filterable and paged in
/// the database. `POST /review/approve`: bulk approval, shown as the exact list first, applied in one
/// transaction.
struct ReviewQueueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("review", use: queue)
        routes.post("review", "approve", use: bulkApprove)
    }

    struct Row {
        let id: Int
        let version: Int
        let name: String
        let committee: String
        let category: String
        let state: String
        let stateKey: String
        let scan: String
        let scanKey: String
        let integrity: String
        let integrityKey: String
        let reviews: String
        let quota: String
        let submittedAt: String
        let canApprove: Bool
        /// 曾获表彰 within the last three years (`PastHonours.recentRepeats`), for the alliance to weigh.
        let `repeat`: String?
    }

    struct Filters: Sendable {
        var campaignID: Int
        var committee: Int?
        var category: NominationCategory?
        var state: NominationState?
        var scan: ScanState?
        var integrity: String?

        /// The query string of these filters, for paging.
        var query: String {
            var parts = ["campaign=\(campaignID)"]
            if let committee { parts.append("committee=\(committee)") }
            if let category { parts.append("category=\(category.rawValue)") }
            if let state { parts.append("state=\(state.rawValue)") }
            if let scan { parts.append("scan=\(scan.rawValue)") }
            if let integrity { parts.append("integrity=\(integrity)") }
            return parts.joined(separator: "&")
        }
    }

    struct QueueView {
        let campaign: String
        let campaigns: [SelectOption]
        let committees: [SelectOption]
        let categories: [SelectOption]
        let states: [SelectOption]
        let scans: [SelectOption]
        let integrities: [SelectOption]
        let rows: [Row]
        let pageInfo: PageInfo
        let canApprove: Bool
        let csrf: String
        let notice: String?
    }

    /// States the desk holds: with the alliance, or back with the committee for fixing.
    static let states = NominationState.allCases.filter(NominationWorkflow.underReview.contains)

    static func filters(_ req: Request, campaign: CampaignHeader) throws -> Filters {
        Filters(campaignID: campaign.id,
                committee: req.queryInt("committee"),
                category: req.queryValue("category").flatMap(NominationCategory.init(rawValue:)),
                state: req.queryValue("state").flatMap(NominationState.init(rawValue:)).flatMap { states.contains($0) ? $0 : nil },
                scan: req.queryValue("scan").flatMap(ScanState.init(rawValue:)),
                integrity: req.queryValue("integrity").flatMap { $0 == "none" || IntegrityResult(rawValue: $0) != nil ? $0 : nil })
    }

    /// The desk's rows under `filters`, reading `columns` (its order is the caller's).
    static func select(_ columns: [String], _ filters: Filters, for user: CurrentUser, on db: any Database) -> SQLSelectBuilder {
        let select = (db as! any SQLDatabase).select().columns(columns.map { SQLColumn($0) }).from(Nomination.schema)
            .where("campaign_id", .equal, SQLBind(filters.campaignID))
            .where("state", .in, SQLBind.group((filters.state.map { [$0] } ?? states).map(\.rawValue)))
        if let committee = filters.committee { select.where("committee_id", .equal, SQLBind(committee)) }
        select.hidingRecused(from: user, committee: SQLColumn("committee_id"))
        if let category = filters.category { select.where("category", .equal, SQLBind(category.rawValue)) }
        switch filters.scan {
        case .none?: select.where("scan_fingerprint", .is, SQLLiteral.null)
        case .current?: select.where(SQLRaw("scan_fingerprint = data_fingerprint"))
        case .stale?: select.where(SQLRaw("scan_fingerprint <> data_fingerprint"))
        case nil: break
        }
        switch filters.integrity {
        case "none"?: select.where("integrity_result", .is, SQLLiteral.null)
        case let result?: select.where("integrity_result", .equal, SQLBind(result))
        case nil: break
        }
        return select
    }

    /// The same filters as `select`, counted from the tallies.
    static func tally(_ filters: Filters, for user: CurrentUser) -> NominationTally {
        NominationTally(campaignID: filters.campaignID, committeeID: filters.committee, excludedCommittees: user.recusedCommittees,
                        categories: filters.category.map { [$0.rawValue] },
                        states: (filters.state.map { [$0] } ?? states).map(\.rawValue), scan: filters.scan,
                        integrity: filters.integrity)
    }

    /// A nomination on the desk, as read from its columns.
    struct Listed: Sendable {
        let id: Int
        let version: Int
        let displayName: String
        let committeeID: Int
        let category: NominationCategory
        let state: NominationState
        let scan: ScanState
        let integrity: IntegrityResult?
        let submittedAt: Date?
        let subject: WorkflowSubject
        let idHash: String?

        static let columns = ["id", "version", "display_name", "committee_id", "category", "state", "scan_fingerprint",
                              "data_fingerprint", "integrity_result", "submitted_at", "fix_by", "fix_until", "id_hash"]

        init(_ row: PlainRow) throws {
            id = try row.decode(column: "id", as: Int.self)
            version = try row.decode(column: "version", as: Int.self)
            displayName = try row.decode(column: "display_name", as: String.self)
            committeeID = try row.decode(column: "committee_id", as: Int.self)
            category = NominationCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .member
            state = NominationState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft
            scan = ScanState(scanFingerprint: try row.decode(column: "scan_fingerprint", as: String?.self),
                             dataFingerprint: try row.decode(column: "data_fingerprint", as: String?.self))
            integrity = try row.decode(column: "integrity_result", as: String?.self).flatMap(IntegrityResult.init(rawValue:))
            submittedAt = try row.decode(column: "submitted_at", as: Date?.self)
            subject = WorkflowSubject(state: state, committeeID: committeeID, fixBy: try row.decode(column: "fix_by", as: String?.self),
                                      fixUntil: try row.decode(column: "fix_until", as: Date?.self), submittedAt: submittedAt)
            idHash = try row.decode(column: "id_hash", as: String?.self)
        }

        var candidate: PastHonours.Candidate { .init(id: id, category: category, idHash: idHash, displayName: displayName) }
    }

    @Sendable func queue(req: Request) async throws -> View {
        let user = try req.requireUser()
        let campaign = try await Self.campaign(req)
        let filters = try Self.filters(req, campaign: campaign)
        let total = try await Self.tally(filters, for: user).total(on: req.db)
        let (page, pageInfo) = try await PageInfo.fetch(
            Self.select(Listed.columns, filters, for: user, on: req.db),
            order: ["committee_id", "category", "id"].map { (SQLColumn($0), .ascending) },
            total: total, req: req, baseQuery: filters.query, row: Listed.init)
        let repeats = try await PastHonours.recentRepeats(page.map(\.candidate), campaignID: filters.campaignID,
                                                          awardYear: campaign.awardYear, on: req.db)
        let directory = try await req.reference.committees()
        let names = directory.names
        // The administrator sees every reviewer's recommendation counted; a reviewer sees their own.
        let reviews = try await Self.reviewCounts(page.map(\.id), by: user.isAdmin ? nil : user.id, on: req.db)
        let position = try await Self.quotaPosition(campaignID: filters.campaignID, quotas: try await req.reference.quotas(campaignID: filters.campaignID),
                                                    at: req.now, on: req.db)
        let deadlines = try await req.reference.deadlines(campaignID: campaign.id, days: campaign.days)
        let rows = page.map { n -> Row in
            let counts = reviews[n.id] ?? [:]
            let summary = ReviewRecommendation.allCases.compactMap { r in counts[r.rawValue].map { "\(r.label) \($0)" } }
            return Row(id: n.id, version: n.version, name: n.displayName, committee: names[n.committeeID] ?? "",
                       category: n.category.label, state: n.state.label, stateKey: n.state.rawValue,
                       scan: n.scan.shortLabel, scanKey: n.scan.rawValue,
                       integrity: n.integrity?.label ?? "未答复", integrityKey: n.integrity?.rawValue ?? "none",
                       reviews: summary.isEmpty ? "—" : summary.joined(separator: "，"),
                       quota: position["\(n.committeeID)-\(n.category.rawValue)"] ?? "—",
                       submittedAt: DateFormatting.minute(n.submittedAt),
                       canApprove: NominationWorkflow.allows(.approve, n.subject.context(for: user, deadlines: deadlines, now: req.now)),
                       repeat: repeats[n.id].map { $0.map(\.text).joined(separator: "；") })
        }
        let campaigns = try await req.reference.recentCampaigns()
        return try await req.page(title: "审核工作台", QueueView(
            campaign: campaign.documentNumber,
            campaigns: campaigns.map { SelectOption(value: "\($0.id)", label: $0.documentNumber, selected: $0.id == filters.campaignID) },
            committees: directory.options(for: user, selected: filters.committee),
            categories: NominationCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == filters.category) },
            states: Self.states.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == filters.state) },
            scans: ScanState.allCases.map { SelectOption(value: $0.rawValue, label: "扫描件" + $0.shortLabel, selected: $0 == filters.scan) },
            integrities: [SelectOption(value: "none", label: "未答复", selected: filters.integrity == "none")]
                + IntegrityResult.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.integrity) },
            rows: rows, pageInfo: pageInfo, canApprove: NominationWorkflow.isOpen(.approve, to: user.relation(toCommittee: -1)),
            csrf: req.csrfToken,
            notice: req.queryInt("approved").map { "已批量审核通过 \($0) 个推荐，行业党委已收到通知。" }).html)
    }

    /// The campaign of `?campaign=`, else the one open now, else the latest.
    static func campaign(_ req: Request) async throws -> CampaignHeader {
        if let id = req.queryInt("campaign") {
            guard let campaign = try await req.reference.campaign(id) else { throw Abort(.notFound) }
            return campaign
        }
        let recent = try await req.reference.recentCampaigns()
        guard let campaign = CampaignHeader.current(among: recent, now: req.now) else { throw Abort(.notFound) }
        return campaign
    }

    /// Nomination id → recommendation → how many reviewers gave it (only `reviewer`, when given).
    static func reviewCounts(_ ids: [Int], by reviewer: Int?, on db: any Database) async throws -> [Int: [String: Int]] {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        var query = sql.select().column("nomination_id").column("recommendation")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(NominationReview.schema)
            .where("nomination_id", .in, ids)
        if let reviewer { query = query.where("reviewer_id", .equal, reviewer) }
        let rows = try await query.groupBy("nomination_id").groupBy("recommendation").plainRows()
        var counts: [Int: [String: Int]] = [:]
        for row in rows {
            counts[try row.decode(column: "nomination_id", as: Int.self), default: [:]][try row.decode(column: "recommendation", as: String.self)] =
                try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// "committee-category" → "已通过及补正中 a / 可报 b": the slots an approval must fit beside.
    static func quotaPosition(campaignID: Int, quotas: [QuotaSheet.Quota], at now: Date, on db: any Database) async throws -> [String: String] {
        let counts = try await QuotaUsage.counts(campaignID: campaignID, at: now, committedOnly: true, on: db)
        var out: [String: String] = [:]
        for quota in quotas {
            let used = counts[quota.committeeID]?[quota.category] ?? 0
            out["\(quota.committeeID)-\(quota.category)"] = "已通过及补正中 \(used) / 可报 \(quota.guiding + quota.granted)"
        }
        return out
    }
}
