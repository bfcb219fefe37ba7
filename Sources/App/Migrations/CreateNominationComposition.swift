import Fluent
import HonorsCore
import SQLKit

/// `nomination_composition`: how many nominations per campaign, committee, category and state hold each stored
/// value of each `CompositionFacet` (性别 男, 入党 year 2003, …). The composition report sums it, so it costs
/// the same at 100 000 nominations as at 1 000; bands are drawn when it is read.
///
/// Triggers read the values out of the row's `data` JSON (SQLite `json_extract`, PostgreSQL `json_to_record`) in the same
/// transaction as the row, like the tallies; `honors check` recounts and compares (`InvariantCheck.composition`).
struct CreateNominationComposition: AsyncMigration {
    static let columns = ["campaign_id", "committee_id", "category", "state", "facet", "value"]
    static let watched = ["campaign_id", "committee_id", "category", "state", "data"]

    /// The stored value of `facet` in row `R`: the field, its year for year facets, "" when missing. On
    /// PostgreSQL `record` names the row's facets already read out of `data` (`d` in the triggers, `parsed`).
    static func value(_ facet: CompositionFacet, _ row: String, sqlite: Bool, record: String? = nil) -> String {
        let field = sqlite ? "json_extract(\(row).data, '$.\(facet.fieldKey)')"
            : record.map { "\($0).\"\(facet.fieldKey)\"" } ?? "(\(row).data::json ->> '\(facet.fieldKey)')"
        return facet.countsYear ? "substr(COALESCE(\(field), ''), 1, 4)" : "COALESCE(\(field), '')"
    }

    /// Whether organisations carry `facet` (their size) rather than people (the rest).
    static func ofOrganisations(_ facet: CompositionFacet) -> Bool { facet == .members }

    /// Which rows carry `facet`.
    static func carries(_ facet: CompositionFacet, _ row: String) -> String {
        ofOrganisations(facet) ? "\(row).category = 'org'" : "\(row).category <> 'org'"
    }

    /// SQLite: one (facet, value) pair for each facet row `R` carries, as a SELECT.
    static func facets(_ row: String) -> String {
        CompositionFacet.allCases.map { facet in
            "SELECT '\(facet.rawValue)' AS facet, \(value(facet, row, sqlite: true)) AS value WHERE \(carries(facet, row))"
        }.joined(separator: " UNION ALL ")
    }

    /// PostgreSQL reads every facet's field out of the row's `data` in one pass (`d`): `->>` on `json` scans the
    /// text from its start for each key, four times the cost over a demo's 100 000 rows.
    static func parsed(_ row: String) -> String {
        let fields = Set(CompositionFacet.allCases.map(\.fieldKey)).sorted().map { "\"\($0)\" text" }
        // A `data` that is not an object counts as empty values, as `->>` read it (json_to_record refuses it).
        let object = "CASE WHEN left(\(row).data, 1) = '{' OR left(ltrim(\(row).data, E' \\n\\r\\t'), 1) = '{' THEN \(row).data ELSE '{}' END"
        return "json_to_record((\(object))::json) AS d(\(fields.joined(separator: ", ")))"
    }

    /// PostgreSQL: every facet's (facet, value) pair of row `R` as `f`, and the condition that keeps the pairs
    /// the row carries (a VALUES list filtered costs less than a UNION of one-row SELECTs).
    static func pairs(_ row: String) -> (from: String, carried: String) {
        let rows = CompositionFacet.allCases.map { facet in
            "('\(facet.rawValue)', \(value(facet, row, sqlite: false, record: "d")), \(ofOrganisations(facet)))"
        }
        return ("\(parsed(row)) CROSS JOIN LATERAL (VALUES \(rows.joined(separator: ", "))) AS f(facet, value, org)",
                "f.org = (\(row).category = 'org')")
    }

    static func increment(_ row: String, sqlite: Bool) -> String {
        let names = columns.joined(separator: ", ")
        let source = sqlite ? "(\(facets(row))) AS f WHERE true" : "\(pairs(row).from) WHERE \(pairs(row).carried)"
        return """
            INSERT INTO nomination_composition (\(names), n)
            SELECT \(row).campaign_id, \(row).committee_id, \(row).category, \(row).state, f.facet, f.value, 1
            FROM \(source)
            ON CONFLICT (\(names)) DO UPDATE SET n = nomination_composition.n + 1
            """
    }

    /// PostgreSQL: every row of `table` counted in, its `data` read once for all facets, grouped.
    static func incrementAll(_ table: String) -> String {
        let names = columns.joined(separator: ", ")
        return """
            INSERT INTO nomination_composition (\(names), n)
            SELECT \(table).campaign_id, \(table).committee_id, \(table).category, \(table).state, f.facet, f.value, COUNT(*)
            FROM \(table) CROSS JOIN LATERAL \(pairs(table).from) WHERE \(pairs(table).carried)
            GROUP BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (\(names)) DO UPDATE SET n = nomination_composition.n + excluded.n
            """
    }

    static func decrement(_ row: String, sqlite: Bool) -> String {
        let pairs = CompositionFacet.allCases.map { "(facet = '\($0.rawValue)' AND value = \(value($0, row, sqlite: sqlite, record: "d")))" }
        return """
            UPDATE nomination_composition SET n = n - 1 \(sqlite ? "" : "FROM \(parsed(row)) ")WHERE campaign_id = \(row).campaign_id
            AND committee_id = \(row).committee_id AND category = \(row).category AND state = \(row).state
            AND (\(pairs.joined(separator: " OR ")))
            """
    }

    /// Every nomination's pairs counted afresh: the backfill, and what `honors check` compares with.
    static func recount(sqlite: Bool) -> String {
        CompositionFacet.allCases.map { facet in
            """
            SELECT campaign_id, committee_id, category, state, '\(facet.rawValue)' AS facet, \
            \(value(facet, "nominations", sqlite: sqlite)) AS value, COUNT(*) AS n
            FROM nominations WHERE \(carries(facet, "nominations")) GROUP BY 1, 2, 3, 4, 5, 6
            """
        }.joined(separator: " UNION ALL ")
    }

    static let triggers = NominationTriggers(name: "nomination_composition", watched: watched,
                                             add: { row, sqlite in [increment(row, sqlite: sqlite)] },
                                             remove: { row, sqlite in [decrement(row, sqlite: sqlite)] },
                                             addAll: { table in [incrementAll(table)] })

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        try await sql.raw("""
            CREATE TABLE nomination_composition (
                campaign_id BIGINT NOT NULL, committee_id BIGINT NOT NULL, category TEXT NOT NULL, state TEXT NOT NULL,
                facet TEXT NOT NULL, value TEXT NOT NULL, n BIGINT NOT NULL,
                PRIMARY KEY (campaign_id, committee_id, category, state, facet, value))
            """).run()
        try await sql.raw(SQLQueryString("""
            INSERT INTO nomination_composition (\(unsafeRaw: Self.columns.joined(separator: ", ")), n) \(unsafeRaw: Self.recount(sqlite: sqlite))
            """)).run()
        try await Self.triggers.install(on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.triggers.drop(on: sql)
        try await sql.raw("DROP TABLE nomination_composition").run()
    }
}
