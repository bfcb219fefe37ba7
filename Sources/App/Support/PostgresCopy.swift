import Fluent
import FluentPostgresDriver
import Foundation
import HonorsCore

/// PostgreSQL's `COPY … FROM STDIN` in its text format, for `insertRows`: thousands of rows streamed as lines
/// instead of one INSERT with tens of thousands of parameters, which the server parses and checks one by one
/// and Honors serializes and encodes one by one (a demo's 100 000 nominations and their 425 000 audit events).
/// Triggers fire as for an INSERT, the statement triggers with all the rows at once.
enum PostgresCopy {
    /// A value of a type `text` cannot be written as.
    struct Unsupported: Error, CustomStringConvertible {
        let type: String
        var description: String { "COPY cannot write a value of type \(type)" }
    }

    /// Text is sent in pieces of about this many bytes, each one CopyData message.
    static let chunkSize = 1 << 18

    /// The text of `rows`, in pieces: no database needed, so it can be made before the write that sends it.
    static func encode(_ rows: [[any Encodable & Sendable]]) throws -> [ByteBuffer] {
        var text = Text()
        for row in rows {
            try text.write(row)
            text.endLine()
        }
        return text.pieces
    }

    /// COPY text made line by line and cut into pieces of about `chunkSize` bytes at line ends.
    struct Text {
        private var done: [ByteBuffer] = []
        private var open = ByteBuffer()

        /// `values`, tab-separated.
        mutating func write(_ values: [any Encodable & Sendable]) throws {
            try Self.fields(values, more: false, to: &open)
        }

        /// Text already made for the line (`fields`), or its last values written out.
        mutating func write(_ bytes: ByteBuffer) { open.writeImmutableBuffer(bytes) }

        mutating func write(_ text: String) { open.writeString(text) }

        mutating func endLine() {
            open.writeInteger(UInt8(ascii: "\n"))
            if open.readableBytes >= chunkSize {
                done.append(open)
                open = ByteBuffer()
            }
        }

        /// Every piece, the last one too.
        var pieces: [ByteBuffer] { open.readableBytes > 0 ? done + [open] : done }

        /// `values` as a line's text, tab-separated, and followed by a tab when `more` of the line follows: for
        /// lines made ahead and finished later.
        static func fields(_ values: [any Encodable & Sendable], more: Bool, to out: inout ByteBuffer) throws {
            for (index, value) in values.enumerated() {
                if index > 0 { out.writeInteger(UInt8(ascii: "\t")) }
                try PostgresCopy.write(value, to: &out)
            }
            if more, !values.isEmpty { out.writeInteger(UInt8(ascii: "\t")) }
        }
    }

    /// Models' rows as COPY text with their table and columns, as `insertRows` writes them (with their ids or
    /// not): made before the write that sends them, when wanted.
    struct Rows: Sendable {
        let table: String
        let columns: [String]
        let text: [ByteBuffer]

        init<T: RowWritable>(_ models: [T], ids: Bool) throws where T.IDValue == Int {
            table = T.schema
            columns = (ids ? ["id"] : []) + T.columns
            text = try PostgresCopy.encode(models.map { ids ? [$0.id] + $0.row : $0.row })
        }

        /// One COPY of the rows (none when there are none).
        func send(on db: any PostgresDatabase, logger: Logger) async throws {
            guard !text.isEmpty else { return }
            try await PostgresCopy.send(text, into: table, columns: columns, on: db, logger: logger)
        }
    }

    /// Sends text made by `encode` as one COPY.
    static func send(_ chunks: [ByteBuffer], into table: String, columns: [String], on db: any PostgresDatabase,
                     logger: Logger) async throws {
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    for chunk in chunks { try await writer.write(chunk) }
                }
            }
        }.get()
    }

    /// One value as the text format reads it: `\N` for none, `t`/`f`, decimal numbers, a time to the
    /// microsecond in UTC, text with backslash, tab, newline and carriage return escaped.
    static func write(_ value: any Encodable & Sendable, to out: inout ByteBuffer) throws {
        // The types rows hold, most frequent first; an Optional holding one of them casts as it.
        switch value {
        case let text as String: escape(text, to: &out)
        case let number as Int: out.writeString(String(number))
        case let date as Date: out.writeString(timestamp(date))
        case let flag as Bool: out.writeStaticString(flag ? "t" : "f")
        default:
            guard let optional = value as? any OptionalValue, optional.isNone else {
                throw Unsupported(type: String(describing: type(of: value)))
            }
            out.writeStaticString("\\N")
        }
    }

    static func escape(_ text: String, to out: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var plain = 0
            for (index, byte) in bytes.enumerated() {
                let replacement: StaticString
                switch byte {
                case UInt8(ascii: "\\"): replacement = "\\\\"
                case UInt8(ascii: "\t"): replacement = "\\t"
                case UInt8(ascii: "\n"): replacement = "\\n"
                case UInt8(ascii: "\r"): replacement = "\\r"
                default: continue
                }
                out.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[plain..<index])))
                out.writeStaticString(replacement)
                plain = index + 1
            }
            out.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[plain...])))
        }
    }

    /// `date` as `timestamptz` text, to the microsecond PostgresNIO's binary encoding keeps (it truncates).
    static func timestamp(_ date: Date) -> String {
        // Microseconds since 2000-01-01 00:00 UTC, as PostgreSQL counts them.
        let micro = Int64(date.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
        let perDay: Int64 = 86_400_000_000
        let days = micro >= 0 ? micro / perDay : (micro - perDay + 1) / perDay
        let inDay = micro - days * perDay
        let day = DayStamp(daysSince1970: Int(days) + 10_957)
        let seconds = Int(inDay / 1_000_000), fraction = Int(inDay % 1_000_000)
        return "\(day) "
            + "\((seconds / 3600).zeroPadded(2)):\((seconds / 60 % 60).zeroPadded(2)):\((seconds % 60).zeroPadded(2)).\(fraction.zeroPadded(6))+00"
    }
}

/// Tells an `Optional` holding nothing from a value, behind `any Encodable`.
protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}
