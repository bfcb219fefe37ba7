import Crypto
import Fluent
import FluentPostgresDriver
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

    /// The hash of the bytes the layout gives: `place`, `content`, then `prev_hash`.
    static func hash(_ event: AuditEvent, seq: Int, prevHash: String) -> String {
        hash(content: content(event), seq: seq, prevHash: prevHash)
    }

    /// The hash from an event's `content` (which does not depend on its place).
    static func hash(content: [UInt8], seq: Int, prevHash: String) -> String {
        var hasher = SHA256()
        hasher.update(data: place(seq))
        hasher.update(data: content)
        var last: [UInt8] = []
        append(prevHash, to: &last)
        hasher.update(data: last)
        return hasher.finalize().hex
    }

    /// The layout's first fields: its name and the event's place.
    private static func place(_ seq: Int) -> [UInt8] {
        var out: [UInt8] = []
        append(layout, to: &out)
        append(String(seq), to: &out)
        return out
    }

    /// The fields between the place and `prev_hash`: what the event says.
    static func content(_ event: AuditEvent) -> [UInt8] {
        let fields: [String?] = [
            String(milliseconds(event.occurredAt)), event.actorID.map(String.init), event.actorName, event.actorRole,
            event.action, event.objectType, event.objectID, event.objectLabel, event.committeeID.map(String.init),
            event.changes, event.address,
        ]
        var out: [UInt8] = []
        out.reserveCapacity(fields.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) })
        for field in fields { append(field, to: &out) }
        return out
    }

    /// One field: a 4-byte big-endian length and the UTF-8 bytes, FFFFFFFF for a missing value.
    private static func append(_ field: String?, to out: inout [UInt8]) {
        guard let field else {
            out.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
            return
        }
        let length = UInt32(field.utf8.count)
        out.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        out.append(contentsOf: field.utf8)
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
        try await append(try Prepared(events, for: db), on: db)
    }

    /// Events made ready to append with no database at hand: what each says (`content`) and, for many on
    /// PostgreSQL, its COPY line up to the chain's three columns. A bulk append (the demo's) prepares them while
    /// the write before it runs; under the head's lock only places and hashes are left to work out.
    struct Prepared: Sendable {
        let events: [AuditEvent]
        let contents: [[UInt8]]
        /// Each event's COPY text from `occurred_at` to `address`, followed by a tab (`PostgresCopy.Text.fields`).
        let lines: [ByteBuffer]?

        init(_ events: [AuditEvent], for db: any Database) throws {
            try self.init(events, copy: events.count > 1 && db is any PostgresDatabase)
        }

        init(_ events: [AuditEvent], copy: Bool) throws {
            self.events = events
            contents = events.map(AuditChain.content)
            let chained = ["seq", "prev_hash", "hash"]
            precondition(Array(AuditEvent.columns.suffix(3)) == chained, "the chain's columns come last")
            lines = copy ? try events.map { event in
                var line = ByteBuffer()
                try PostgresCopy.Text.fields(Array(event.row.dropLast(chained.count)), more: true, to: &line)
                return line
            } : nil
        }
    }

    static func append(_ prepared: Prepared, on db: any Database) async throws {
        let events = prepared.events
        guard !events.isEmpty else { return }
        var head = try await head(on: db, locking: true)
        var text = PostgresCopy.Text()
        for (index, event) in events.enumerated() {
            let seq = head.count + 1, digest = hash(content: prepared.contents[index], seq: seq, prevHash: head.hash)
            event.seq = seq
            event.prevHash = head.hash
            event.hash = digest
            if let lines = prepared.lines {
                text.write(lines[index])
                text.write("\(seq)\t\(head.hash)\t\(digest)")
                text.endLine()
            }
            head = Head(count: seq, hash: digest)
        }
        if prepared.lines != nil, let postgres = db as? any PostgresDatabase {
            try await PostgresCopy.send(text.pieces, into: AuditEvent.schema, columns: AuditEvent.columns, on: postgres, logger: db.logger)
        } else if events.count == 1 {
            try await events[0].create(on: db)
        } else {
            // Many events (a bulk approval, an import, the demo): written from their fields (`RowWritable`).
            try await db.insertRows(events)
        }
        let sql = db as! any SQLDatabase
        try await sql.raw("UPDATE audit_chain SET seq = \(bind: head.count), hash = \(bind: head.hash) WHERE id = 1").run()
    }
}
