import SQLKit

/// Triggers that keep a table derived from `nominations` in the same transaction as the row: on SQLite one per
/// insert, delete and update (only when a watched column changed); on PostgreSQL a row trigger for updates and
/// deletes and a statement trigger for inserts (SQLite has no statement triggers). `add` gives the statements
/// that count a row in (`NEW`), `remove` those that count it out (`OLD`), `addAll` a statement's new rows.
struct NominationTriggers {
    /// The derived table's name, which names the triggers too.
    let name: String
    /// The nomination columns the table depends on: an update of any other leaves it alone.
    let watched: [String]
    let add: @Sendable (_ row: String, _ sqlite: Bool) -> [String]
    let remove: @Sendable (_ row: String, _ sqlite: Bool) -> [String]
    /// PostgreSQL: what `add` does for every row of an INSERT at once, from the statement's new rows (`inserted`):
    /// one grouped write per statement instead of one per row, each adding to the same few counters (a demo's
    /// or an import's thousands of rows a statement).
    let addAll: @Sendable (_ table: String) -> [String]

    func install(on sql: any SQLDatabase) async throws {
        let sqlite = sql.dialect.name == "sqlite"
        func body(_ statements: [String]) -> String { statements.map { $0 + ";" }.joined(separator: " ") }
        if sqlite {
            let changed = watched.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: name)_insert AFTER INSERT ON nominations
                BEGIN \(unsafeRaw: body(add("NEW", true))) END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: name)_delete AFTER DELETE ON nominations
                BEGIN \(unsafeRaw: body(remove("OLD", true))) END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: name)_update AFTER UPDATE OF \(unsafeRaw: watched.joined(separator: ", ")) ON nominations
                WHEN \(unsafeRaw: changed)
                BEGIN \(unsafeRaw: body(remove("OLD", true) + add("NEW", true))) END
                """)).run()
        } else {
            let changed = watched.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION \(unsafeRaw: name)_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NOT (\(unsafeRaw: changed)) THEN RETURN NULL; END IF;
                    \(unsafeRaw: body(remove("OLD", false)))
                    IF TG_OP = 'UPDATE' THEN \(unsafeRaw: body(add("NEW", false))) END IF;
                    RETURN NULL;
                END $$
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: name)_follow AFTER UPDATE OR DELETE ON nominations
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: name)_follow()
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION \(unsafeRaw: name)_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN \(unsafeRaw: body(addAll("inserted"))) RETURN NULL; END $$
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: name)_insert AFTER INSERT ON nominations REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: name)_insert()
                """)).run()
        }
    }

    func drop(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for event in ["insert", "delete", "update"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER \(unsafeRaw: name)_\(unsafeRaw: event)")).run()
            }
        } else {
            // A database from before the per-statement insert has no `_insert`.
            for part in ["follow", "insert"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: name)_\(unsafeRaw: part) ON nominations")).run()
                try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(unsafeRaw: name)_\(unsafeRaw: part)()")).run()
            }
        }
    }
}
