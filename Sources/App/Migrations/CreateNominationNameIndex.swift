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

    /// The characters of every row of `table` (the backfill's statement, and PostgreSQL's per-statement insert).
    static func insertAll(_ table: String) -> String {
        """
        INSERT INTO nomination_name_chars (ch, nomination_id)
        SELECT DISTINCT substr(display_name, n, 1), id FROM \(table) JOIN name_positions ON n <= length(display_name)
        """
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE name_positions (n INTEGER PRIMARY KEY)").run()
        try await sql.raw(SQLQueryString("INSERT INTO name_positions (n) VALUES \(unsafeRaw: (1...Self.longest).map { "(\($0))" }.joined(separator: ", "))")).run()
        try await sql.raw("""
            CREATE TABLE nomination_name_chars (ch TEXT NOT NULL, nomination_id BIGINT NOT NULL, PRIMARY KEY (ch, nomination_id))
            """).run()
        try await sql.raw("CREATE INDEX nomination_name_chars_nomination ON nomination_name_chars (nomination_id)").run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.insertAll("nominations"))).run()
        try await Self.triggers.install(on: sql)
    }

    static let triggers = NominationTriggers(name: "nomination_name_chars", watched: ["display_name"],
                                             add: { row, sqlite in [insert(row, sqlite: sqlite)] }, remove: { _, _ in [remove] },
                                             addAll: { table in [insertAll(table) + " ON CONFLICT DO NOTHING"] })

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.triggers.drop(on: sql)
        try await sql.raw("DROP TABLE nomination_name_chars").run()
        try await sql.raw("DROP TABLE name_positions").run()
    }
}
