import Fluent
import SQLKit

/// `nomination_composition_overall`: `nomination_composition` without the committee, a line per campaign, category,
/// facet, value and state. The composition report's tables sum every committee; summed from here they read a line
/// per stored value instead of one per committee and value (at 100 000 demo nominations some 7 000 lines, and
/// more as committees are added).
///
/// Kept from `nomination_composition` by its own triggers, in the same transaction: a change there is a
/// difference of `n` here, so no form is read twice. SQLite has row triggers only; PostgreSQL sums each
/// statement's changed rows (transition tables: an upsert's inserted and updated rows reach the insert and the
/// update trigger apart), so a demo's or an import's statement adds once per line. `honors check` recounts it
/// (`InvariantCheck.compositionOverall`).
struct CreateCompositionOverall: AsyncMigration {
    static let table = "nomination_composition_overall"
    static let columns = ["campaign_id", "category", "facet", "value", "state"]

    /// Adds the `n` of every row `rows` gives (a SELECT of `columns` and `n`) to its line: the backfill, and on
    /// PostgreSQL each statement's changes.
    static func add(_ rows: String) -> String {
        let names = columns.joined(separator: ", ")
        // The WHERE settles SQLite's reading of ON CONFLICT after a SELECT.
        return """
            INSERT INTO \(table) (\(names), n) SELECT \(names), SUM(n) FROM (\(rows)) AS changed WHERE true \
            GROUP BY \(names) \
            ON CONFLICT (\(names)) DO UPDATE SET n = \(table).n + excluded.n
            """
    }

    /// The key and `n` of the rows of `table` (a transition table), `n` negated when `sign` is "-".
    static func lines(_ table: String, _ sign: String = "") -> String {
        "SELECT \(columns.joined(separator: ", ")), \(sign)n AS n FROM \(table)"
    }

    private static func trigger(_ event: String) -> String { "\(table)_\(event)" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        let names = Self.columns.joined(separator: ", ")
        try await sql.raw(SQLQueryString("""
            CREATE TABLE \(unsafeRaw: Self.table) (
                campaign_id BIGINT NOT NULL, category TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
                state TEXT NOT NULL, n BIGINT NOT NULL,
                PRIMARY KEY (\(unsafeRaw: names)))\(unsafeRaw: sqlite ? " WITHOUT ROWID" : "")
            """)).run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.add(Self.lines("nomination_composition")))).run()
        if sqlite {
            let same = Self.columns.map { "OLD.\($0) IS NEW.\($0)" }.joined(separator: " AND ")
            func match(_ row: String) -> String { Self.columns.map { "\($0) = \(row).\($0)" }.joined(separator: " AND ") }
            let insert = """
                INSERT INTO \(Self.table) (\(names), n) VALUES (\(Self.columns.map { "NEW.\($0)" }.joined(separator: ", ")), NEW.n) \
                ON CONFLICT (\(names)) DO UPDATE SET n = \(Self.table).n + excluded.n
                """
            let remove = "UPDATE \(Self.table) SET n = n - OLD.n WHERE \(match("OLD"))"
            let statements = [
                // The triggers' own case: a count changed in place, its line moved by the difference.
                ("update", "AFTER UPDATE ON nomination_composition WHEN \(same)",
                 "UPDATE \(Self.table) SET n = n + NEW.n - OLD.n WHERE \(match("NEW"))"),
                ("rekey", "AFTER UPDATE ON nomination_composition WHEN NOT (\(same))", "\(remove); \(insert)"),
                ("insert", "AFTER INSERT ON nomination_composition", insert),
                ("delete", "AFTER DELETE ON nomination_composition", remove),
            ]
            for (event, when, body) in statements {
                try await sql.raw(SQLQueryString("CREATE TRIGGER \(unsafeRaw: Self.trigger(event)) \(unsafeRaw: when) BEGIN \(unsafeRaw: body); END")).run()
            }
        } else {
            let statements = [
                ("insert", "INSERT", "NEW TABLE AS added", Self.add(Self.lines("added"))),
                ("update", "UPDATE", "OLD TABLE AS before NEW TABLE AS after",
                 Self.add("\(Self.lines("before", "-")) UNION ALL \(Self.lines("after"))")),
                ("delete", "DELETE", "OLD TABLE AS removed", Self.add(Self.lines("removed", "-"))),
            ]
            for (event, on, tables, body) in statements {
                try await sql.raw(SQLQueryString("""
                    CREATE FUNCTION \(unsafeRaw: Self.trigger(event))() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN \(unsafeRaw: body); RETURN NULL; END $$
                    """)).run()
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER \(unsafeRaw: Self.trigger(event)) AFTER \(unsafeRaw: on) ON nomination_composition
                    REFERENCING \(unsafeRaw: tables) FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: Self.trigger(event))()
                    """)).run()
            }
        }
    }

    /// (Reverting `CreateNominationComposition` drops the triggers with their table, hence `IF EXISTS`.)
    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for event in ["update", "rekey", "insert", "delete"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(event))")).run()
            }
        } else {
            for event in ["insert", "update", "delete"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(event)) ON nomination_composition")).run()
                try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(unsafeRaw: Self.trigger(event))()")).run()
            }
        }
        try await sql.raw(SQLQueryString("DROP TABLE \(unsafeRaw: Self.table)")).run()
    }
}
