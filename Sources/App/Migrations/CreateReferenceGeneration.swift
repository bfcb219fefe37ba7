import Fluent
import SQLKit

/// `reference_generation`: one row whose token changes, by trigger, in the same transaction as any change to
/// the tables pages read on every request and that change a few times a campaign (committees, campaigns,
/// quotas, deadline extensions, 公示 days, the working calendar). `ReferenceCache` keeps what it read of them
/// under the token it saw with the session, so an instance never serves them older than that token, and a
/// change made through any instance, command or hand-written SQL is seen by all of them on their next request.
///
/// The token is random, not a counter: a database restored from a backup comes back with an old token whose
/// data is the data that token was written with, and its next change cannot meet a token an instance kept from
/// before the restore.
struct CreateReferenceGeneration: AsyncMigration {
    static let tables = ["committees", "campaigns", "campaign_quotas", "deadline_extensions", "publicities", "calendar_years"]
    /// SQLite's row triggers, one per kind of change and table (`<table>_reference_<event>`).
    static let sqliteEvents = ["insert", "update", "delete"]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        let fresh = sqlite ? "lower(hex(randomblob(16)))" : "md5(random()::text || clock_timestamp()::text)"
        try await sql.raw("CREATE TABLE reference_generation (token TEXT NOT NULL)").run()
        try await sql.raw(SQLQueryString("INSERT INTO reference_generation (token) VALUES (\(unsafeRaw: fresh))")).run()
        let bump = "UPDATE reference_generation SET token = \(fresh)"
        if sqlite {
            // SQLite has row triggers only; these tables hold tens of rows, changed a few at a time.
            for table in Self.tables {
                for event in Self.sqliteEvents {
                    try await sql.raw(SQLQueryString("""
                        CREATE TRIGGER \(unsafeRaw: table)_reference_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                        BEGIN \(unsafeRaw: bump); END
                        """)).run()
                }
            }
        } else {
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION reference_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN \(unsafeRaw: bump); RETURN NULL; END $$
                """)).run()
            for table in Self.tables {
                // Deferred to the commit: the token's row is then the last lock a transaction takes, so two
                // transactions that lock rows of these tables in opposite orders (a quota edit and a quota
                // request's approval) wait for each other as before, instead of deadlocking on the token.
                try await sql.raw(SQLQueryString("""
                    CREATE CONSTRAINT TRIGGER \(unsafeRaw: table)_reference AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reference_generation_bump()
                    """)).run()
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER \(unsafeRaw: table)_reference_truncate AFTER TRUNCATE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_bump()
                    """)).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                for event in Self.sqliteEvents {
                    try await sql.raw(SQLQueryString("DROP TRIGGER \(unsafeRaw: table)_reference_\(unsafeRaw: event)")).run()
                }
            }
        } else {
            for table in Self.tables {
                for name in ["reference", "reference_truncate"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER \(unsafeRaw: table)_\(unsafeRaw: name) ON \(unsafeRaw: table)")).run()
                }
            }
            try await sql.raw("DROP FUNCTION reference_generation_bump()").run()
        }
        try await sql.raw("DROP TABLE reference_generation").run()
    }
}
