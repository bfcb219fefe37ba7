import Fluent
import SQLKit

/// Chains the audit trail (`AuditChain`): a place, the previous hash and the hash on every event, and the
/// chain's head. Events recorded before are chained here in the order they were written, so the chain
/// covers the whole trail.
struct UpdateAuditEventAddChain: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for (name, type) in [("seq", DatabaseSchema.DataType.int), ("prev_hash", .string), ("hash", .string)] {
            try await database.schema(AuditEvent.schema).field(.string(name), type).update()
        }
        try await database.schema("audit_chain")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int, .required)
            .field("hash", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Two appends can never take the same place.
        try await sql.raw("CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq)").run()

        // Chaining the existing events writes to rows the triggers keep append-only: lifted for this step only.
        try await AppendOnly.lift(on: sql)
        var head = AuditChain.Head(count: 0, hash: AuditChain.genesis)
        var lastID = 0
        while true {
            let batch = try await AuditEvent.query(on: database).filter(\.$id > lastID).sort(\.$id).limit(500).all()
            for event in batch {
                let seq = head.count + 1
                let hash = AuditChain.hash(event, seq: seq, prevHash: head.hash)
                try await sql.update(AuditEvent.schema).set("seq", to: seq).set("prev_hash", to: head.hash).set("hash", to: hash)
                    .where("id", .equal, try event.requireID()).run()
                head = AuditChain.Head(count: seq, hash: hash)
                lastID = try event.requireID()
            }
            if batch.count < 500 { break }
        }
        try await AppendOnly.restore(on: sql)
        try await sql.raw("INSERT INTO audit_chain (id, seq, hash) VALUES (1, \(bind: head.count), \(bind: head.hash))").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chain").delete()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX audit_events_seq").run()
        try await AppendOnly.lift(on: sql)
        // Said in SQL: SQLKit's SQLite dialect leaves DROP COLUMN out, which SQLite has had since 3.35.
        for name in ["seq", "prev_hash", "hash"] {
            try await sql.raw("ALTER TABLE audit_events DROP COLUMN \(ident: name)").run()
        }
        try await AppendOnly.restore(on: sql)
    }
}

/// The triggers that keep `audit_events` append-only (made by `CreateAuditEvent`).
enum AppendOnly {
    static func lift(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TRIGGER audit_events_no_update").run()
            try await sql.raw("DROP TRIGGER audit_events_no_delete").run()
        } else {
            try await sql.raw("DROP TRIGGER audit_events_append_only ON audit_events").run()
        }
    }

    static func restore(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for verb in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: verb.lowercased()) BEFORE \(unsafeRaw: verb) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """).run()
        }
    }
}
