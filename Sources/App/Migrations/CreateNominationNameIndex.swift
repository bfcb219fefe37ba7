import Fluent
import SQLKit

/// `nomination_name_chars`: each character of each nomination's `display_name`, once, with the nomination's
/// id, keyed (character, id). A search by name (`?q=王`) walks the list from the newest nomination that has
/// the character instead of every row until enough match: names are two or three characters, too short for
/// a trigram index, and the same table serves both engines (`NameSearch`).
///
/// Triggers keep it in the same transaction as the row, like the tallies; `honors check` compares it with
/// the names (`InvariantCheck.nameIndex`). `name_positions` holds 1…`longest`, the positions a trigger
/// takes characters from (a trigger cannot use a recursive query in SQLite).
struct CreateNominationNameIndex: AsyncMigration {
    /// `display_name` is cut to 100 characters where it is written (`NominationService.columns`).
    static let longest = 100

    /// The characters of row `R` (NEW or OLD) with its id, as INSERT's source.
    static func characters(_ row: String) -> String {
        "SELECT DISTINCT substr(\(row).display_name, n, 1), \(row).id FROM name_positions WHERE n <= length(\(row).display_name)"
    }

    static func insert(_ row: String, sqlite: Bool) -> String {
        sqlite ? "INSERT OR IGNORE INTO nomination_name_chars (ch, nomination_id) \(characters(row))"
            : "INSERT INTO nomination_name_chars (ch, nomination_id) \(characters(row)) ON CONFLICT DO NOTHING"
    }

    static let remove = "DELETE FROM nomination_name_chars WHERE nomination_id = OLD.id"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        try await sql.raw("CREATE TABLE name_positions (n INTEGER PRIMARY KEY)").run()
        try await sql.raw(SQLQueryString("INSERT INTO name_positions (n) VALUES \(unsafeRaw: (1...Self.longest).map { "(\($0))" }.joined(separator: ", "))")).run()
        try await sql.raw("""
            CREATE TABLE nomination_name_chars (ch TEXT NOT NULL, nomination_id BIGINT NOT NULL, PRIMARY KEY (ch, nomination_id))
            """).run()
        try await sql.raw("CREATE INDEX nomination_name_chars_nomination ON nomination_name_chars (nomination_id)").run()
        try await sql.raw(SQLQueryString("""
            INSERT INTO nomination_name_chars (ch, nomination_id)
            SELECT DISTINCT substr(display_name, n, 1), id FROM nominations JOIN name_positions ON n <= length(display_name)
            """)).run()
        if sqlite {
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER nomination_name_chars_insert AFTER INSERT ON nominations
                BEGIN \(unsafeRaw: Self.insert("NEW", sqlite: true)); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER nomination_name_chars_delete AFTER DELETE ON nominations
                BEGIN \(unsafeRaw: Self.remove); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER nomination_name_chars_update AFTER UPDATE OF display_name ON nominations
                WHEN OLD.display_name IS NOT NEW.display_name
                BEGIN \(unsafeRaw: Self.remove); \(unsafeRaw: Self.insert("NEW", sqlite: true)); END
                """)).run()
        } else {
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION nomination_name_chars_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.display_name IS NOT DISTINCT FROM NEW.display_name THEN RETURN NULL; END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN \(unsafeRaw: Self.remove); END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') THEN \(unsafeRaw: Self.insert("NEW", sqlite: false)); END IF;
                    RETURN NULL;
                END $$
                """)).run()
            try await sql.raw("""
                CREATE TRIGGER nomination_name_chars_follow AFTER INSERT OR UPDATE OR DELETE ON nominations
                FOR EACH ROW EXECUTE FUNCTION nomination_name_chars_follow()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for name in ["insert", "delete", "update"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER nomination_name_chars_\(unsafeRaw: name)")).run()
            }
        } else {
            try await sql.raw("DROP TRIGGER nomination_name_chars_follow ON nominations").run()
            try await sql.raw("DROP FUNCTION nomination_name_chars_follow()").run()
        }
        try await sql.raw("DROP TABLE nomination_name_chars").run()
        try await sql.raw("DROP TABLE name_positions").run()
    }
}
