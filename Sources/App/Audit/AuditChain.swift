import Crypto
import Fluent
import Foundation
import SQLKit

/// The audit trail as a hash chain: each event carries a SHA-256 over its canonical content and the hash of
/// the event before it, so that changing, removing, inserting or reordering an event breaks the chain from
/// there on. The head (the last place and its hash) is a row of `audit_chain`; appending locks it, so the
/// instances sharing a PostgreSQL database append to one chain, in turn, without forks.
///
/// Canonical content, layout `honors-audit-v1`: these fields in this order, each as a 4-byte big-endian
/// length and its UTF-8 bytes (length 0xFFFFFFFF and no bytes for a missing value): the layout name, `seq`,
/// `occurred_at` as whole milliseconds since 1970, `actor_id`, `actor_name`, `actor_role`, `action`,
/// `object_type`, `object_id`, `object_label`, `committee_id`, `changes`, `address`, `prev_hash`. Numbers are
/// written in decimal. The hash is the SHA-256 of those bytes, as 64 lowercase hex digits.
enum AuditChain {
    static let layout = "honors-audit-v1"
    /// `prev_hash` of the first event.
    static let genesis = String(repeating: "0", count: 64)

    static func toMillisecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The bytes the hash is taken over.
    static func canonical(_ event: AuditEvent, seq: Int, prevHash: String) -> [UInt8] {
        let fields: [String?] = [
            layout, String(seq), String(milliseconds(event.occurredAt)), event.actorID.map(String.init), event.actorName,
            event.actorRole, event.action, event.objectType, event.objectID, event.objectLabel,
            event.committeeID.map(String.init), event.changes, event.address, prevHash,
        ]
        var out: [UInt8] = []
        out.reserveCapacity(fields.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) })
        for field in fields {
            guard let field else {
                out.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
                continue
            }
            let length = UInt32(field.utf8.count)
            out.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
            out.append(contentsOf: field.utf8)
        }
        return out
    }

    static func hash(_ event: AuditEvent, seq: Int, prevHash: String) -> String {
        SHA256.hash(data: canonical(event, seq: seq, prevHash: prevHash)).hex
    }

    /// The head: how many events the chain holds and the last one's hash.
    struct Head: Sendable, Equatable {
        var count: Int
        var hash: String
    }

    static func head(on db: any Database, locking: Bool = false) async throws -> Head {
        let sql = db as! any SQLDatabase
        // On PostgreSQL the head row is the lock every append takes in turn; SQLite writers already run one
        // at a time (the write gate and BEGIN IMMEDIATE).
        let lock = locking && !db.isSQLite ? " FOR UPDATE" : ""
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_chain WHERE id = 1\(unsafeRaw: lock)").first() else {
            return Head(count: 0, hash: genesis)
        }
        return Head(count: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self))
    }

    /// Appends `event` inside the caller's write transaction.
    static func append(_ event: AuditEvent, on db: any Database) async throws {
        try await append([event], on: db)
    }

    /// Appends `events` in their order inside the caller's write transaction: chained one after the other as
    /// single appends would be, written many to a statement and with one move of the head.
    static func append(_ events: [AuditEvent], on db: any Database) async throws {
        guard !events.isEmpty else { return }
        var head = try await head(on: db, locking: true)
        for event in events {
            let seq = head.count + 1
            event.seq = seq
            event.prevHash = head.hash
            event.hash = hash(event, seq: seq, prevHash: head.hash)
            head = Head(count: seq, hash: event.hash!)
        }
        if events.count == 1 {
            try await events[0].create(on: db)
        } else {
            // Many events (a bulk approval, an import, the demo): written from their fields (`RowWritable`).
            try await db.insertRows(events)
        }
        let sql = db as! any SQLDatabase
        try await sql.raw("UPDATE audit_chain SET seq = \(bind: head.count), hash = \(bind: head.hash) WHERE id = 1").run()
    }
}
