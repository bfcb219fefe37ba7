import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// `GET /nominations`: a committee's own nominations, or for the alliance every nomination that reached it
/// (drafts and withdrawn ones stay the committee's), paged in the database, reading only what the rows show.
extension NominationController {
    struct Row: Sendable {
        let id: Int
        let name: String
        let category: String
        let committee: String
        let state: String
        let stateKey: String
        let scan: String
        let scanKey: String
        let updated: String
    }

    struct ListView {
        let rows: [Row]
        let pageInfo: PageInfo
        let q: String
        let committees: [SelectOption]
        let categories: [SelectOption]
        let states: [SelectOption]
        let canCreate: Bool
        let canFilterCommittee: Bool
    }

    /// The states a user's lists hold: the alliance's hold what reached it, and what was withdrawn after.
    static func listedStates(for user: CurrentUser) -> [NominationState] {
        user.role.seesAllCommittees ? NominationState.allCases.filter { $0 != .draft } : NominationState.allCases
    }

    /// The tallies of what a list holds, as the query's filter above: for the alliance, states that reached it
    /// and anything else submitted once (withdrawn after submission).
    static func listed(_ tally: NominationTally, for user: CurrentUser) -> [NominationTally] {
        guard user.role.seesAllCommittees else { return [tally] }
        let reached = Set(NominationState.reachedAlliance.map(\.rawValue))
        var inReach = tally, submittedOnce = tally
        let states = tally.states ?? NominationState.allCases.map(\.rawValue)
        inReach.states = states.filter(reached.contains)
        submittedOnce.states = states.filter { !reached.contains($0) }
        submittedOnce.submitted = true
        return [inReach, submittedOnce]
    }

    @Sendable func list(req: Request) async throws -> View {
        let user = try req.requireUser()
        let listing = NominationListing(
            committee: user.role.seesAllCommittees ? req.queryInt("committee") : nil,
            state: req.queryValue("state").flatMap(NominationState.init(rawValue:)),
            category: req.queryValue("category").flatMap(NominationCategory.init(rawValue:)),
            q: req.queryValue("q") ?? "")
        let selection = try listing.select(["id", "display_name", "category", "committee_id", "state", "updated_at",
                                            "scan_fingerprint", "data_fingerprint"], for: user, on: req.db)
        // Totals come from the tallies; a name search is not counted (it would read every row).
        let total = listing.searching ? nil : try await selection.tallies.total(on: req.db)
        let directory = try await req.reference.committees()
        let names = directory.names
        let (rows, pageInfo) = try await PageInfo.fetch(selection.select, order: selection.order, total: total, req: req,
                                                        baseQuery: listing.queryString) { output in
            let state = try output.decode(column: "state", as: String.self)
            let scan = ScanState(scanFingerprint: try output.decode(column: "scan_fingerprint", as: String?.self),
                                 dataFingerprint: try output.decode(column: "data_fingerprint", as: String?.self))
            return Row(id: try output.decode(column: "id", as: Int.self), name: try output.decode(column: "display_name", as: String.self),
                       category: (NominationCategory(rawValue: try output.decode(column: "category", as: String.self)) ?? .member).label,
                       committee: names[try output.decode(column: "committee_id", as: Int.self)] ?? "",
                       state: (NominationState(rawValue: state) ?? .draft).label, stateKey: state,
                       scan: scan.shortLabel, scanKey: scan.rawValue,
                       updated: DateFormatting.minute(try output.decode(column: "updated_at", as: Date?.self)))
        }
        let committees = user.role.seesAllCommittees ? directory.options(for: user, selected: listing.committee) : []
        let listed = Self.listedStates(for: user)
        return try await req.page(title: "推荐对象", ListView(
            rows: rows, pageInfo: pageInfo, q: listing.search, committees: committees,
            categories: NominationCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == listing.category) },
            states: listed.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == listing.state) },
            canCreate: user.role == .committee, canFilterCommittee: user.role.seesAllCommittees).html)
    }
}

/// What a list of nominations holds for a user, filtered: a committee's own (drafts included), or for the
/// alliance everything that reached it, a recused reviewer's committees left out. The one selection the
/// nominations page and the API's list both read, with the tallies whose sum is its length.
struct NominationListing: Sendable {
    /// The alliance's filter by committee; a committee's operator always lists its own.
    var committee: Int?
    var state: NominationState?
    var category: NominationCategory?
    var campaign: Int?
    var q: String = ""

    /// The name searched for, as cleaned.
    var search: String { String(TextInput.line(q).prefix(30)) }
    var searching: Bool { !search.isEmpty }

    /// The filters as the page's links repeat them.
    var queryString: String {
        var base: [(String, String)] = []
        if let committee { base.append(("committee", "\(committee)")) }
        if let state { base.append(("state", state.rawValue)) }
        if let category { base.append(("category", category.rawValue)) }
        if let campaign { base.append(("campaign", "\(campaign)")) }
        if searching { base.append(("q", search)) }
        return base.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    /// The statement reading `columns` of the rows (its order apart), the order (newest first; a search in its
    /// own), and the tallies that count them. A committee the user may not see is not found.
    struct Selection {
        let select: SQLSelectBuilder
        let order: [(any SQLExpression, SQLDirection)]
        let tallies: [NominationTally]
    }

    func select(_ columns: [String], for user: CurrentUser, on db: any Database) throws -> Selection {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: Nomination.schema) }
        let select = (db as! any SQLDatabase).select().columns(columns.map(column)).from(Nomination.schema)
        var tally = NominationTally(excludedCommittees: user.recusedCommittees)
        let committeeFilter = user.role.seesAllCommittees ? committee : user.committeeID
        if let committeeFilter {
            guard user.canSee(committeeID: committeeFilter) else { throw Abort(.notFound) }
            select.where(column("committee_id"), .equal, SQLBind(committeeFilter))
            tally.committeeID = committeeFilter
        } else if !user.role.seesAllCommittees {
            throw Abort(.forbidden)
        }
        select.hidingRecused(from: user, committee: column("committee_id"))
        if let campaign {
            select.where(column("campaign_id"), .equal, SQLBind(campaign))
            tally.campaignID = campaign
        }
        let state = self.state.flatMap { NominationController.listedStates(for: user).contains($0) ? $0 : nil }
        if let state { select.where(column("state"), .equal, SQLBind(state.rawValue)) }
        tally.states = state.map { [$0.rawValue] }
        if user.role.seesAllCommittees {
            // What reached the alliance: a withdrawn draft that was never submitted is the committee's alone.
            select.where {
                $0.where(column("state"), .in, SQLBind.group(NominationState.reachedAlliance.map(\.rawValue)))
                    .orWhere(column("submitted_at"), .isNot, SQLLiteral.null)
            }
        }
        if let category {
            select.where(column("category"), .equal, SQLBind(category.rawValue))
            tally.categories = [category.rawValue]
        }
        let order = searching ? NameSearch.filter(select, containing: search) : [(column("id"), .descending)]
        return Selection(select: select, order: order, tallies: NominationController.listed(tally, for: user))
    }
}

extension Committee {
    /// Every committee's name by id: lists show names without joining.
    static func names(on db: any Database) async throws -> [Int: String] {
        try await CommitteeDirectory.load(on: db).names
    }

    /// The committees `user` may see, in the notice's order, as a filter's options.
    static func options(for user: CurrentUser, selected: Int?, on db: any Database) async throws -> [SelectOption] {
        try await CommitteeDirectory.load(on: db).options(for: user, selected: selected)
    }
}

/// The committees' ids and names in the notice's order, read once for a page that both names rows and offers a
/// filter by committee.
struct CommitteeDirectory: Sendable {
    let ordered: [(id: Int, name: String)]
    /// The rest of each committee's row, for `model(_:)`.
    private let settings: [Int: (sortOrder: Int, active: Bool)]

    static func load(on db: any Database) async throws -> CommitteeDirectory {
        let rows = try await (db as! any SQLDatabase).select().columns("id", "name", "sort_order", "active").from(Committee.schema)
            .orderBy("sort_order").orderBy("id").plainRows()
        var ordered: [(id: Int, name: String)] = [], settings: [Int: (sortOrder: Int, active: Bool)] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            ordered.append((id, try row.decode(column: "name", as: String.self)))
            settings[id] = (try row.decode(column: "sort_order", as: Int.self), try row.decode(column: "active", as: Bool.self))
        }
        return CommitteeDirectory(ordered: ordered, settings: settings)
    }

    /// The committee's model as the directory read it, as if loaded: a nomination's page names its committee
    /// without a statement of its own. A new model each time (the directory is shared between requests).
    func model(_ id: Int) -> Committee? {
        guard let name = ordered.first(where: { $0.id == id })?.name, let settings = settings[id] else { return nil }
        let committee = Committee(name: name, sortOrder: settings.sortOrder)
        committee.id = id
        committee.active = settings.active
        committee.$id.exists = true
        return committee
    }

    var names: [Int: String] { Dictionary(uniqueKeysWithValues: ordered) }

    func options(for user: CurrentUser, selected: Int?) -> [SelectOption] {
        ordered.filter { user.canSee(committeeID: $0.id) }.map { SelectOption(value: "\($0.id)", label: $0.name, selected: $0.id == selected) }
    }
}

extension ScanState {
    /// The list column's word.
    var shortLabel: String {
        switch self {
        case .none: "未上传"
        case .current: "有效"
        case .stale: "已过期"
        }
    }
}
