@testable import App
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor

/// `PlainRow` reads SQLite's values itself: every value must read as SQLKit's row reads it, and what SQLKit refuses
/// must be refused.
@Suite("Rows read by name")
struct PlainRowTests {
    /// The answer of a read: the value's description, or that it was refused.
    static func answer<T>(_ read: () throws -> T) -> String {
        do { return "\(try read())" } catch { return "refused" }
    }

    @Test("integers, text, real, dates and NULL read alike through PlainRow and SQLKit, as the type asked for; a missing column or an unreadable value is refused by both")
    func alike() async throws {
        try await withHonorsApp { app, _ in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE plain_rows (i BIGINT, t TEXT, r DOUBLE PRECISION, d TIMESTAMPTZ, z TEXT)").run()
            let when = Date(timeIntervalSince1970: 1_716_000_000.25)
            let texts = ["", "12", "王小明", "𠮷𬌗👍🏽", "line\nbreak", "3.5", "2024-05-23T08:00:00Z"]
            for (index, text) in texts.enumerated() {
                try await sql.insert(into: "plain_rows").columns("i", "t", "r", "d", "z")
                    .values(SQLBind(index == 0 ? Int.min : index * 1_000_003), SQLBind(text), SQLBind(Double(index) / 3),
                            SQLBind(when.addingTimeInterval(Double(index) * 86_400)), SQLLiteral.null).run()
            }
            // Binds of each kind, which every row passes: a bind converted otherwise than SQLKit converts it drops rows.
            let select = sql.select().columns("i", "t", "r", "d", "z").from("plain_rows")
                .where("r", .greaterThanOrEqual, SQLBind(0.0)).where("d", .greaterThan, SQLBind(Date(timeIntervalSince1970: 0)))
                .where("t", .in, SQLBind.group(texts)).where("i", .notEqual, SQLBind(7)).where(SQLBind(true), .equal, SQLBind(true))
                .orderBy("i")
            let kit = try await select.all()
            let plain = try await select.plainRows(), many = try await select.plainRows(many: true)
            #expect(kit.count == texts.count && plain.count == texts.count && many.count == texts.count)
            #expect((plain + many).allSatisfy(\.readsDirectly) == !onPostgres, "SQLite's values read directly")
            var compared = 0
            for (k, p) in zip(kit + kit, plain + many) {
                for column in ["i", "t", "r", "d", "z", "missing"] {
                    func same<T: SQLiteDataConvertible & Decodable>(_ type: T.Type) {
                        #expect(Self.answer { try p.decode(column: column, as: T.self) } == Self.answer { try k.decode(column: column, as: T.self) },
                                "\(column) as \(T.self)")
                        #expect(Self.answer { try p.decode(column: column, as: T?.self) } == Self.answer { try k.decode(column: column, as: T?.self) },
                                "\(column) as \(T.self)?")
                        compared += 2
                    }
                    same(Int.self)
                    same(String.self)
                    same(Double.self)
                    same(Date.self)
                }
            }
            #expect(compared == 2 * texts.count * 6 * 8)
            #expect(try plain[2].decode(column: "t", as: String.self) == "王小明")
            #expect(try plain[2].decode(column: "z", as: String?.self) == nil)
            #expect(try plain[1].decode(column: "d", as: Date.self) == when.addingTimeInterval(86_400))
            #expect(throws: (any Error).self) { try plain[0].decode(column: "missing", as: Int.self) }
            // Inside a write, the write's own rows are read, before it commits.
            try await app.write { db in
                let sql = db as! any SQLDatabase
                try await sql.insert(into: "plain_rows").columns("i", "t").values(SQLBind(-1), SQLBind("未提交")).run()
                for many in [false, true] {
                    let rows = try await sql.select().column("t").from("plain_rows").where("i", .equal, SQLBind(-1)).plainRows(many: many)
                    #expect(try rows.map { try $0.decode(column: "t", as: String.self) } == ["未提交"], "many: \(many)")
                    #expect(rows.allSatisfy(\.readsDirectly) == !onPostgres)
                }
            }
        }
    }
}
