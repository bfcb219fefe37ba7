import Fluent
import SQLKit

/// The audit page at hundreds of thousands of events: its latest verification (`audit.verify`) and its action
/// and committee filters, newest first, are found through these instead of walking the trail from its end.
/// `IF NOT EXISTS`: a start stopped half-way through builds the rest the next time.
struct UpdateAuditEventAddFilterIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_action ON audit_events (action, id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_committee ON audit_events (committee_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX audit_events_action").run()
        try await sql.raw("DROP INDEX audit_events_committee").run()
    }
}
