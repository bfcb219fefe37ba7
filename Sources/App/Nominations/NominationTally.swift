import Fluent
import HonorsCore
import SQLKit

/// Counts of nominations read from `nomination_tallies` (kept by triggers, `CreateNominationTally`): a sum over
/// at most a few thousand small rows, whatever the number of nominations. Each field left nil counts every value.
struct NominationTally: Sendable {
    var campaignID: Int?
    var committeeID: Int?
    /// Committees left out (a reviewer's recusals).
    var excludedCommittees: Set<Int> = []
    var categories: [String]?
    var states: [String]?
    /// Submitted at least once (`submitted_at` set).
    var submitted: Bool?
    var scan: ScanState?
    /// `none` (no 纪检 reply yet) or an `IntegrityResult`.
    var integrity: String?

    fileprivate func select(on db: any Database) -> SQLSelectBuilder {
        var query = (db as! any SQLDatabase).select().from("nomination_tallies")
        if let campaignID { query = query.where("campaign_id", .equal, campaignID) }
        if let committeeID { query = query.where("committee_id", .equal, committeeID) }
        if !excludedCommittees.isEmpty { query = query.where("committee_id", .notIn, Array(excludedCommittees).sorted()) }
        if let categories { query = query.where("category", .in, categories) }
        if let states { query = query.where("state", .in, states) }
        if let submitted { query = query.where("submitted", .equal, submitted ? 1 : 0) }
        if let scan { query = query.where("scan", .equal, scan.rawValue) }
        if let integrity { query = query.where("integrity", .equal, integrity) }
        return query
    }

    /// A copy with `change` made.
    func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }

    fileprivate static let sum = SQLRaw("CAST(COALESCE(SUM(n), 0) AS BIGINT)")

    /// A filter that names no state or no category matches nothing (and `IN ()` is not SQL).
    fileprivate var matchesNothing: Bool { states?.isEmpty == true || categories?.isEmpty == true }

    /// How many nominations match.
    func total(on db: any Database) async throws -> Int {
        if matchesNothing { return 0 }
        return try await select(on: db).column(Self.sum, as: "n").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// How many match, by committee and category: committee id → category → count.
    func byCommitteeAndCategory(on db: any Database) async throws -> [Int: [String: Int]] {
        guard let select = byCommitteeAndCategorySelect(on: db) else { return [:] }
        return try Self.summed(try await select.plainRows())
    }

    /// The statement of `byCommitteeAndCategory` (rows `committee_id`, `category`, `n`), for a caller that reads
    /// it together with another count of the same shape; nil when nothing can match.
    func byCommitteeAndCategorySelect(on db: any Database) -> SQLSelectBuilder? {
        if matchesNothing { return nil }
        return select(on: db).column("committee_id").column("category").column(Self.sum, as: "n")
            .groupBy("committee_id").groupBy("category")
    }

    /// Rows of `committee_id`, `category` and `n` added up: committee id → category → count.
    static func summed(_ rows: [PlainRow]) throws -> [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for row in rows {
            counts[try row.decode(column: "committee_id", as: Int.self), default: [:]][try row.decode(column: "category", as: String.self),
                                                                                      default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// One committee, category and state.
    struct Key: Hashable {
        let committee: Int
        let category: String
        let state: String
    }

    /// How many match, by committee, category and state.
    func byCommitteeCategoryState(on db: any Database) async throws -> [Key: Int] {
        if matchesNothing { return [:] }
        let rows = try await select(on: db).column("committee_id").column("category").column("state")
            .column(Self.sum, as: "n").groupBy("committee_id").groupBy("category").groupBy("state").plainRows(many: true)
        var counts: [Key: Int] = [:]
        for row in rows {
            let key = Key(committee: try row.decode(column: "committee_id", as: Int.self),
                          category: try row.decode(column: "category", as: String.self),
                          state: try row.decode(column: "state", as: String.self))
            counts[key] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

extension NominationTally {
    /// How many match, by scan state and 纪检 reply (`none` for no reply yet).
    func byScanAndIntegrity(on db: any Database) async throws -> [(scan: String, integrity: String, n: Int)] {
        if matchesNothing { return [] }
        return try await select(on: db).column("scan").column("integrity").column(Self.sum, as: "n")
            .groupBy("scan").groupBy("integrity").all().map { row in
                (try row.decode(column: "scan", as: String.self), try row.decode(column: "integrity", as: String.self),
                 try row.decode(column: "n", as: Int.self))
            }
    }
}

extension [NominationTally] {
    /// The sum over tallies that do not overlap.
    func total(on db: any Database) async throws -> Int {
        var sum = 0
        for tally in self { sum += try await tally.total(on: db) }
        return sum
    }
}
