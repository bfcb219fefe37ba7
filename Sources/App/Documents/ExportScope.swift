import Fluent
import HonorsCore

/// Which nominations a bulk output (汇总表, material package) holds for the person who asked: a committee
/// everything of its own but withdrawn nominations; the alliance what reached it, without the committees a
/// reviewer is recused from. The same answer the workflow gives page by page, for many rows at once.
struct ExportScope: Sendable {
    /// One committee, or nil for every committee the person may see.
    var committeeID: Int?
    var excludedCommittees: Set<Int>
    var states: Set<NominationState>

    static func of(_ user: CurrentUser, committee: Int?) -> ExportScope {
        if user.role.seesAllCommittees {
            return ExportScope(committeeID: committee, excludedCommittees: user.recusedCommittees,
                               states: NominationState.reachedAlliance)
        }
        return ExportScope(committeeID: user.committeeID ?? -1, excludedCommittees: [],
                           states: Set(NominationState.allCases).subtracting([.withdrawn]))
    }

    /// The scope of a package, for the account that asked for it (looked up when the package is built).
    static func of(username: String, committee: Int?, on db: any Database) async throws -> ExportScope {
        guard let account = try await User.query(on: db).filter(\.$username == username).first() else {
            return ExportScope(committeeID: committee ?? -1, excludedCommittees: [], states: [])
        }
        var user = CurrentUser(id: try account.requireID(), username: account.username, displayName: account.displayName,
                               role: account.role, committeeID: account.$committee.id, mustChangePassword: false, sessionID: "")
        if account.role == .reviewer { user.recusedCommittees = try await ReviewerRecusal.committees(of: user.id, on: db) }
        return of(user, committee: committee)
    }
}
