@testable import App
import Fluent
import FluentSQLiteDriver
import Foundation
import Testing

/// Rows written many at once (`insertRows`: PostgreSQL's COPY text, SQLite's multi-row INSERT) read back
/// exactly as the same rows written one by one through Fluent: text with the characters COPY escapes, rare
/// characters and emoji, missing values beside empty ones, times to the microsecond before and after 2000.
@Suite("Rows written many at once")
struct BulkInsertTests {
    static let texts = ["", "a\tb", "line\nbreak", "carriage\rreturn", #"back\slash"#, #"\N"#, #"\\N"#, "𠮷野家 𬌗",
                        "👩‍👩‍👧 ok", #"{"k":"v\"q\\"}"#, "终止\u{7F}", " 前后空格 "]
    static let times = [1_717_027_200.123_456, 946_684_799.5, 946_684_800, -86_400.25, 4_102_444_800.999_999]

    static func event(_ index: Int) -> AuditEvent {
        let event = AuditEvent()
        event.occurredAt = Date(timeIntervalSince1970: times[index % times.count])
        event.actorID = index % 3 == 0 ? nil : index
        event.actorName = texts[index % texts.count]
        event.actorRole = "committee"
        event.action = "nomination.update"
        event.objectType = "nomination"
        event.objectID = index % 4 == 0 ? nil : (index % 4 == 1 ? "" : "\(index)")
        event.objectLabel = texts[(index + 3) % texts.count]
        event.committeeID = index % 2 == 0 ? nil : index
        event.changes = texts[(index + 7) % texts.count]
        event.address = texts[(index + 5) % texts.count]
        event.seq = nil  // unique: these rows are not on the chain
        event.prevHash = index % 6 == 0 ? nil : String(repeating: "0", count: 64)
        event.hash = texts[(index + 1) % texts.count]
        return event
    }

    @Test("every column of every row reads back as Fluent's own write of it reads back")
    func sameAsOneByOne() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let count = Self.texts.count * Self.times.count
            let before = try await AuditEvent.query(on: app.db).max(\.$id) ?? 0
            for index in 0..<count { try await Self.event(index).create(on: app.db) }
            try await app.write { db in try await db.insertRows((0..<count).map(Self.event)) }

            let rows = try await AuditEvent.query(on: app.db).filter(\.$id > before).sort(\.$id).all()
            try #require(rows.count == 2 * count)
            for (single, bulk) in zip(rows[..<count], rows[count...]) {
                let written = try #require(single.id)
                #expect(bulk.occurredAt == single.occurredAt, "row \(written)")
                #expect(bulk.actorID == single.actorID && bulk.committeeID == single.committeeID)
                #expect(bulk.actorName == single.actorName && bulk.objectLabel == single.objectLabel, "row \(written)")
                #expect(bulk.objectID == single.objectID, "row \(written): \(String(describing: bulk.objectID))")
                #expect(bulk.changes == single.changes && bulk.address == single.address && bulk.hash == single.hash)
                #expect(bulk.prevHash == single.prevHash)
            }
            // And as written: nothing lost or added on the way.
            for (index, row) in rows[count...].enumerated() {
                #expect(row.actorName == Self.texts[index % Self.texts.count])
                #expect(abs(row.occurredAt.timeIntervalSince1970 - Self.times[index % Self.times.count]) < 0.000_001)
            }
        }
    }

    @Test("a value goes to SQLite as SQLiteKit's encoder gives it: text, numbers, times, flags, nothing, optionals")
    func sqliteValues() throws {
        let encoder = SQLiteDataEncoder()
        let values: [any Encodable & Sendable] = [
            "甲\t𠮷\\N", "", 0, -7, Int.max, 3.25, true, false, Date(timeIntervalSince1970: -86_400.5),
            Date(timeIntervalSince1970: 1_717_000_000.123456), String?.none, String?.some("乙"), Int?.none, Int?.some(5),
            Date?.none, Date?.some(Date(timeIntervalSince1970: 1)), Bool?.some(true), Bool?.none,
        ]
        for value in values {
            #expect(try SQLiteValue.data(value) == encoder.encode(value), "\(value)")
        }
    }

    @Test("a time is written to the microsecond PostgreSQL keeps, in UTC, on either side of 2000 and of 1970")
    func timestampText() {
        #expect(PostgresCopy.timestamp(Date(timeIntervalSince1970: 946_684_800)) == "2000-01-01 00:00:00.000000+00")
        #expect(PostgresCopy.timestamp(Date(timeIntervalSince1970: 1_717_027_200.123_456)) == "2024-05-30 00:00:00.123456+00")
        #expect(PostgresCopy.timestamp(Date(timeIntervalSince1970: 946_684_799.5)) == "1999-12-31 23:59:59.500000+00")
        #expect(PostgresCopy.timestamp(Date(timeIntervalSince1970: -86_400.25)) == "1969-12-30 23:59:59.750000+00")
        #expect(PostgresCopy.timestamp(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29 00:00:00.000000+00")
    }
}
