import Fluent
import SQLKit

/// The alliance's half of the campaign on the nomination row: the fingerprint of the data as printed, the
/// current scan and the fingerprint it was signed on, a return's reason and 补正期限, the decision and the
/// alliance's opinion, the latest 纪检 reply. Kept on the row, so lists and the queue read them as columns.
struct UpdateNominationAddReview: AsyncMigration {
    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("data_fingerprint", .string),
        ("scan_id", .int),
        ("scan_fingerprint", .string),
        ("fix_by", .string),
        ("fix_until", .datetime),
        ("decision_reason", .string),
        ("decided_at", .datetime),
        ("decided_by", .string),
        ("alliance_opinion", .string),
        ("alliance_opinion_date", .string),
        ("integrity_result", .string),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        for (name, type) in Self.columns {
            try await database.schema(Nomination.schema).field(.string(name), type).update()
        }
        // The duplicate rule's scope: "" when the campaign keeps 优秀共产党员 and 优秀党务工作者 apart (the
        // same person once per campaign), the category when it does not (once per category).
        try await database.schema(Nomination.schema)
            .field("person_scope", .string, .required, .sql(.default(""))).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_person_once").run()
        try await sql.raw("""
            CREATE UNIQUE INDEX nominations_person_once ON nominations (campaign_id, id_hash, person_scope)
            WHERE id_hash IS NOT NULL AND state <> 'withdrawn'
            """).run()
        // The review queue: a campaign's nominations by state, then committee and category.
        try await sql.raw("CREATE INDEX nominations_review ON nominations (campaign_id, state, committee_id, category)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX nominations_review").run()
        try await sql.raw("DROP INDEX nominations_person_once").run()
        for name in Self.columns.map(\.0) + ["person_scope"] {
            try await database.schema(Nomination.schema).deleteField(.string(name)).update()
        }
        try await sql.raw("""
            CREATE UNIQUE INDEX nominations_person_once ON nominations (campaign_id, id_hash)
            WHERE id_hash IS NOT NULL AND state <> 'withdrawn'
            """).run()
    }
}

/// The campaign setting "上报须附盖章扫描件", on by default as the notice asks for stamped scans.
struct UpdateCampaignAddRequireScan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .field("require_scan", .bool, .required, .sql(.default(true))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).deleteField("require_scan").update()
    }
}

/// A nomination's history is read from the audit trail by object.
struct UpdateAuditEventAddObjectIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX audit_events_object ON audit_events (object_type, object_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX audit_events_object").run()
    }
}
