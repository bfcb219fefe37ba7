import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /nominations`: a committee's own nominations, or for the alliance every nomination that reached it
/// (drafts and withdrawn ones stay the committee's), paged in the database, reading only what the rows show.
extension NominationController {
    struct Row: Encodable, Sendable {
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

    struct ListView: Encodable {
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
        var query = Nomination.query(on: req.db)
            .field(\.$id).field(\.$displayName).field(\.$category).field(\.$committee.$id).field(\.$state)
            .field(\.$updatedAt).field(\.$scanFingerprint).field(\.$dataFingerprint)
        var base: [(String, String)] = []
        var tally = NominationTally(excludedCommittees: user.recusedCommittees)
        let committeeFilter = user.role.seesAllCommittees ? req.query[Int.self, at: "committee"] : user.committeeID
        if let committeeFilter {
            guard user.canSee(committeeID: committeeFilter) else { throw Abort(.notFound) }
            query = query.filter(\.$committee.$id == committeeFilter)
            tally.committeeID = committeeFilter
            if user.role.seesAllCommittees { base.append(("committee", "\(committeeFilter)")) }
        } else if !user.role.seesAllCommittees {
            throw Abort(.forbidden)
        }
        query = query.hidingRecused(from: user, committee: \.$committee.$id)
        let listed = Self.listedStates(for: user)
        let state = req.query[String.self, at: "state"].flatMap(NominationState.init(rawValue:)).flatMap { listed.contains($0) ? $0 : nil }
        if let state {
            query = query.filter(\.$state == state.rawValue)
            base.append(("state", state.rawValue))
        }
        tally.states = state.map { [$0.rawValue] }
        if user.role.seesAllCommittees {
            // What reached the alliance: a withdrawn draft that was never submitted is the committee's alone.
            query = query.group(.or) {
                $0.filter(\.$state ~~ NominationState.reachedAlliance.map(\.rawValue)).filter(\.$submittedAt != nil)
            }
        }
        let category = req.query[String.self, at: "category"].flatMap(NominationCategory.init(rawValue:))
        if let category {
            query = query.filter(\.$category == category.rawValue)
            base.append(("category", category.rawValue))
            tally.categories = [category.rawValue]
        }
        let q = String(TextInput.line(req.query[String.self, at: "q"] ?? "").prefix(30))
        if q.isEmpty {
            query = query.sort(\.$id, .descending)
        } else {
            query = NameSearch.filter(query, containing: q)
            base.append(("q", q))
        }
        let baseQuery = base.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        // Totals come from the tallies; a name search is not counted (it would read every row).
        let total: PageInfo.Total = q.isEmpty ? .known(try await Self.listed(tally, for: user).total(on: req.db)) : .uncounted
        let names = try await Committee.names(on: req.db)
        let (rows, pageInfo) = try await PageInfo.fetch(query, total: total, req: req, baseQuery: baseQuery) { output in
            let state = try output.decode("state", as: String.self)
            let scan = ScanState(scanFingerprint: try output.decode("scan_fingerprint", as: String?.self),
                                 dataFingerprint: try output.decode("data_fingerprint", as: String?.self))
            return Row(id: try output.decode("id", as: Int.self), name: try output.decode("display_name", as: String.self),
                       category: (NominationCategory(rawValue: try output.decode("category", as: String.self)) ?? .member).label,
                       committee: names[try output.decode("committee_id", as: Int.self)] ?? "",
                       state: (NominationState(rawValue: state) ?? .draft).label, stateKey: state,
                       scan: scan.shortLabel, scanKey: scan.rawValue,
                       updated: DateFormatting.minute(try output.decode("updated_at", as: Date?.self)))
        }
        let committees = user.role.seesAllCommittees
            ? try await Committee.options(for: user, selected: committeeFilter, on: req.db) : []
        return try await req.page("nominations", title: "推荐对象", ListView(
            rows: rows, pageInfo: pageInfo, q: q, committees: committees,
            categories: NominationCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == category) },
            states: listed.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == state) },
            canCreate: user.role == .committee, canFilterCommittee: user.role.seesAllCommittees))
    }
}

extension Committee {
    /// Every committee's name by id: lists show names without joining.
    static func names(on db: any Database) async throws -> [Int: String] {
        Dictionary(uniqueKeysWithValues: try await Committee.query(on: db).all().compactMap { c in c.id.map { ($0, c.name) } })
    }

    /// The committees `user` may see, in the notice's order, as a filter's options.
    static func options(for user: CurrentUser, selected: Int?, on db: any Database) async throws -> [SelectOption] {
        try await Committee.query(on: db).sort(\.$sortOrder).all().filter { user.canSee(committeeID: $0.id) }
            .map { SelectOption(value: "\($0.id ?? 0)", label: $0.name, selected: $0.id == selected) }
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
