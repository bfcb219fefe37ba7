import Fluent
import SQLKit

/// `nomination_tallies`: how many nominations there are per campaign, committee, category, state, whether
/// submitted, scan state and 纪检 reply. Lists, desks and the dashboard count from it instead of scanning
/// nominations, so their totals cost the same at 100 000 nominations as at 1 000.
///
/// Triggers in the database keep it, in the same transaction as the row they count: no code path, import,
/// restore or hand-made SQL can change a nomination without its tally following. `honors check` (and the test
/// suite after every test that writes) recounts and compares (`InvariantCheck.tallies`).
struct CreateNominationTally: AsyncMigration {
    /// The columns a tally is keyed by, each as the trigger computes it from a row (`R` is NEW or OLD).
    static func key(_ row: String) -> [String] {
        [
            "\(row).campaign_id", "\(row).committee_id", "\(row).category", "\(row).state",
            "CASE WHEN \(row).submitted_at IS NULL THEN 0 ELSE 1 END",
            // ScanState(scanFingerprint:dataFingerprint:)
            "CASE WHEN \(row).scan_fingerprint IS NULL THEN 'none' WHEN \(row).scan_fingerprint = \(row).data_fingerprint THEN 'current' ELSE 'stale' END",
            "COALESCE(\(row).integrity_result, 'none')",
        ]
    }

    static let columns = ["campaign_id", "committee_id", "category", "state", "submitted", "scan", "integrity"]
    /// The nomination columns a tally depends on: an update of any other leaves tallies alone.
    static let watched = ["campaign_id", "committee_id", "category", "state", "submitted_at", "scan_fingerprint",
                          "data_fingerprint", "integrity_result"]

    /// An insert's ending that adds `amount` to a tally already there.
    static func adding(_ amount: String) -> String {
        "ON CONFLICT (\(columns.joined(separator: ", "))) DO UPDATE SET n = nomination_tallies.n + \(amount)"
    }

    static func increment(_ row: String) -> String {
        "INSERT INTO nomination_tallies (\(columns.joined(separator: ", ")), n) VALUES (\(key(row).joined(separator: ", ")), 1) \(adding("1"))"
    }

    /// Every row of `table` counted, grouped (the backfill's statement, and PostgreSQL's per-statement insert,
    /// which adds to the tallies already there).
    static func insertAll(_ table: String) -> String {
        let key = key(table).joined(separator: ", ")
        return "INSERT INTO nomination_tallies (\(columns.joined(separator: ", ")), n) SELECT \(key), COUNT(*) FROM \(table) GROUP BY \(key)"
    }

    static func decrement(_ row: String) -> String {
        let match = zip(columns, key(row)).map { "\($0) = \($1)" }.joined(separator: " AND ")
        return "UPDATE nomination_tallies SET n = n - 1 WHERE \(match)"
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            CREATE TABLE nomination_tallies (
                campaign_id BIGINT NOT NULL, committee_id BIGINT NOT NULL, category TEXT NOT NULL, state TEXT NOT NULL,
                submitted INTEGER NOT NULL, scan TEXT NOT NULL, integrity TEXT NOT NULL, n BIGINT NOT NULL,
                PRIMARY KEY (campaign_id, committee_id, category, state, submitted, scan, integrity))
            """).run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.insertAll("nominations"))).run()
        // The few returned nominations whose 补正期限 runs still occupy a slot: found by state, not by a scan.
        try await sql.raw("CREATE INDEX nominations_state_campaign ON nominations (state, campaign_id)").run()
        try await Self.triggers.install(on: sql)
    }

    static let triggers = NominationTriggers(name: "nomination_tallies", watched: watched,
                                             add: { row, _ in [increment(row)] }, remove: { row, _ in [decrement(row)] },
                                             addAll: { table in [insertAll(table) + " " + adding("excluded.n")] })

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.triggers.drop(on: sql)
        try await sql.raw("DROP TABLE nomination_tallies").run()
        try await sql.raw("DROP INDEX nominations_state_campaign").run()
    }
}
