import Fluent
import SQLKit

/// `nomination_fix_tallies`: how many returned nominations there are per campaign, 补正期限 (`fix_until`),
/// committee and category. A returned nomination holds its slot while its 补正期限 runs, so every quota cell
/// adds those whose `fix_until` is still ahead; summed from here that reads a few rows per 补正期限 (a return
/// gives the end of a working day), not every returned nomination of the campaign.
///
/// Kept by triggers in the same transaction as the row, like `nomination_tallies`; a row that falls to zero is
/// deleted, so the table holds only 补正期限 some nomination still carries. `honors check` recounts it
/// (`InvariantCheck.fixTallies`).
struct CreateNominationFixTally: AsyncMigration {
    static let table = "nomination_fix_tallies"
    static let columns = ["campaign_id", "fix_until", "committee_id", "category"]
    /// The nomination columns a row's count depends on.
    static let watched = ["campaign_id", "committee_id", "category", "state", "fix_until"]

    /// `row` (NEW, OLD or a table) is counted here: returned, with a 补正期限.
    static func counted(_ row: String) -> String {
        "\(row).state = 'returned' AND \(row).fix_until IS NOT NULL"
    }

    /// An insert's ending that adds `amount` to a line already there.
    static func adding(_ amount: String) -> String {
        "ON CONFLICT (\(columns.joined(separator: ", "))) DO UPDATE SET n = \(table).n + \(amount)"
    }

    /// Every row of `table` that is counted, grouped, added to the counts already there (the backfill's
    /// statement, and PostgreSQL's per-statement insert). The `WHERE` also settles SQLite's reading of
    /// `ON CONFLICT` after a `SELECT`.
    static func insertAll(_ table: String) -> String {
        let key = columns.map { "\(table).\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(Self.table) (\(columns.joined(separator: ", ")), n) SELECT \(key), COUNT(*) FROM \(table) \
            WHERE \(counted(table)) GROUP BY \(key) \(adding("excluded.n"))
            """
    }

    static func increment(_ row: String) -> String {
        let key = columns.map { "\(row).\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", ")), n) SELECT \(key), 1 WHERE \(counted(row)) \(adding("1"))
            """
    }

    /// Counts `row` out, and deletes its line once nothing is counted there.
    static func decrement(_ row: String) -> [String] {
        let match = columns.map { "\($0) = \(row).\($0)" }.joined(separator: " AND ")
        return ["UPDATE \(table) SET n = n - 1 WHERE \(match) AND \(counted(row))",
                "DELETE FROM \(table) WHERE \(match) AND n = 0 AND \(counted(row))"]
    }

    static let triggers = NominationTriggers(name: table, watched: watched,
                                             add: { row, _ in [increment(row)] }, remove: { row, _ in decrement(row) },
                                             addAll: { table in [insertAll(table)] })

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // The type `fix_until` has in `nominations` on each engine (Fluent's `.datetime`), so the copied values
        // compare with a bound date exactly as the nominations' own do.
        let time = sql.dialect.name == "sqlite" ? "REAL" : "TIMESTAMPTZ"
        try await sql.raw(SQLQueryString("""
            CREATE TABLE \(unsafeRaw: Self.table) (
                campaign_id BIGINT NOT NULL, fix_until \(unsafeRaw: time) NOT NULL, committee_id BIGINT NOT NULL,
                category TEXT NOT NULL, n BIGINT NOT NULL,
                PRIMARY KEY (campaign_id, fix_until, committee_id, category))
            """)).run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.insertAll("nominations"))).run()
        try await Self.triggers.install(on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.triggers.drop(on: sql)
        try await sql.raw(SQLQueryString("DROP TABLE \(unsafeRaw: Self.table)")).run()
    }
}
