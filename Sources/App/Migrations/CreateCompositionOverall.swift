import Fluent
import HonorsCore
import SQLKit

/// `nomination_composition_overall`: `nomination_composition` without the committee, summed into the report's two
/// lists: a line per campaign, category, facet and value with how many of the submitted and of the approved list
/// hold it (`CompositionStage`). The composition report's tables sum every committee; read from here they take
/// the lines they show as they are (at 100 000 demo nominations 222 lines, against 6 800 per committee and state).
///
/// Kept from `nomination_composition` by its own triggers, in the same transaction: a change there is a
/// difference of `n` here, so no form is read twice. SQLite has row triggers only; PostgreSQL sums each
/// statement's changed rows (transition tables: an upsert's inserted and updated rows reach the insert and the
/// update trigger apart), so a demo's or an import's statement adds once per line. `honors check` recounts it
/// (`InvariantCheck.compositionOverall`), which is also what tells if `CompositionStage` changed without a
/// migration rebuilding this table.
struct CreateCompositionOverall: AsyncMigration {
    static let table = "nomination_composition_overall"
    static let columns = ["campaign_id", "category", "facet", "value"]

    /// `state IN (…)` for the states of `stage`.
    static func within(_ stage: CompositionStage, _ state: String = "state") -> String {
        "\(state) IN (\(stage.states.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }

    /// What the lines `rows` of `nomination_composition` (a table, or `NEW`/`OLD` with `table` nil) add to each
    /// list: key, `submitted` and `approved`, negated with `sign` "-". Only rows of the submitted list count;
    /// the approved list lies within it.
    static func changes(_ rows: String, from table: String? = nil, sign: String = "") -> String {
        let key = columns.map { "\(rows).\($0) AS \($0)" }.joined(separator: ", ")
        return """
            SELECT \(key), \(sign)\(rows).n AS submitted, \(sign)CASE WHEN \(within(.approved, "\(rows).state")) THEN \(rows).n ELSE 0 END AS approved \
            \(table.map { "FROM \($0) AS \(rows) " } ?? "")WHERE \(within(.submitted, "\(rows).state"))
            """
    }

    /// Adds `changes` to their lines (`grouped`: several rows may share a line, as in a table).
    static func add(_ changes: String, grouped: Bool) -> String {
        let names = columns.joined(separator: ", ")
        let source = grouped
            ? "SELECT \(names), SUM(submitted), SUM(approved) FROM (\(changes)) AS changed WHERE true GROUP BY \(names)"
            : changes
        return """
            INSERT INTO \(table) (\(names), submitted, approved) \(source) \
            ON CONFLICT (\(names)) DO UPDATE SET submitted = \(table).submitted + excluded.submitted, approved = \(table).approved + excluded.approved
            """
    }

    private static func trigger(_ event: String) -> String { "\(table)_\(event)" }

    /// In one transaction, with `nomination_composition` locked against writes on PostgreSQL: a change made by a
    /// running instance between the backfill and the triggers would be in neither.
    func prepare(on database: any Database) async throws {
        try await database.transaction { db in try await install(on: db) }
    }

    private func install(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        // (A DO block: Fluent hands out connections it marks as in a transaction, where `transaction` opens none, and a
        // LOCK outside one is an error; inside the migrator's transaction the lock holds to its end.)
        if !sqlite { try await sql.raw("DO $$ BEGIN LOCK TABLE nomination_composition IN SHARE ROW EXCLUSIVE MODE; END $$").run() }
        try await sql.raw(SQLQueryString("""
            CREATE TABLE \(unsafeRaw: Self.table) (
                campaign_id BIGINT NOT NULL, category TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
                submitted BIGINT NOT NULL, approved BIGINT NOT NULL,
                PRIMARY KEY (\(unsafeRaw: Self.columns.joined(separator: ", "))))\(unsafeRaw: sqlite ? " WITHOUT ROWID" : "")
            """)).run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.add(Self.changes("c", from: "nomination_composition"), grouped: true))).run()
        if sqlite {
            let statements = [
                ("insert", "AFTER INSERT", [Self.add(Self.changes("NEW"), grouped: false)]),
                ("update", "AFTER UPDATE", [Self.add(Self.changes("OLD", sign: "-"), grouped: false), Self.add(Self.changes("NEW"), grouped: false)]),
                ("delete", "AFTER DELETE", [Self.add(Self.changes("OLD", sign: "-"), grouped: false)]),
            ]
            for (event, when, body) in statements {
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER \(unsafeRaw: Self.trigger(event)) \(unsafeRaw: when) ON nomination_composition
                    BEGIN \(unsafeRaw: body.map { $0 + ";" }.joined(separator: " ")) END
                    """)).run()
            }
        } else {
            let statements = [
                ("insert", "INSERT", "NEW TABLE AS added", Self.changes("a", from: "added")),
                ("update", "UPDATE", "OLD TABLE AS before NEW TABLE AS after",
                 "\(Self.changes("b", from: "before", sign: "-")) UNION ALL \(Self.changes("a", from: "after"))"),
                ("delete", "DELETE", "OLD TABLE AS removed", Self.changes("r", from: "removed", sign: "-")),
            ]
            for (event, on, tables, changes) in statements {
                try await sql.raw(SQLQueryString("""
                    CREATE FUNCTION \(unsafeRaw: Self.trigger(event))() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN \(unsafeRaw: Self.add(changes, grouped: true)); RETURN NULL; END $$
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
        for event in ["insert", "update", "delete"] {
            if sql.dialect.name == "sqlite" {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(event))")).run()
            } else {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(event)) ON nomination_composition")).run()
                try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(unsafeRaw: Self.trigger(event))()")).run()
            }
        }
        try await sql.raw(SQLQueryString("DROP TABLE \(unsafeRaw: Self.table)")).run()
    }
}
