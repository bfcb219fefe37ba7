@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Migrations that add a column to data already there fill it in for the existing rows: a database from
/// before them ends up as one written after.
@Suite("Migration backfills")
struct MigrationBackfillTests {
    /// Reverted and prepared again on one connection: SQLite's connections to one in-memory database can
    /// disagree about a column dropped a moment ago.
    static func again(_ migration: some AsyncMigration, _ app: Application) async throws {
        try await app.db.withConnection { connection in
            try await migration.revert(on: connection)
            try await migration.prepare(on: connection)
        }
    }

    @Test("events recorded before the chain existed are chained by the migration into the same head")
    func auditChain() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm())
            let before = try await AuditChain.head(on: app.db)
            #expect(before.count > 3)
            try await Self.again(UpdateAuditEventAddChain(), app)
            #expect(try await AuditChain.head(on: app.db) == before)
            let report = try await AuditVerifier.verify(on: app.db)
            #expect(report.isWhole && report.count == before.count)
            // And the chain goes on from there.
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李四", id: Samples.idNumber(sequence: 501)))
            #expect(try await AuditVerifier.verify(on: app.db).isWhole)
        }
    }

    @Test("nominations sealed before key rings name the key their values carry")
    func secretKeyID() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let sealed = try await NominationTests.create(kuaidi, Samples.memberForm())
            let phoneOnly = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李四", id: "", overrides: ["phone": "18647176667"]))
            let empty = try await NominationTests.create(kuaidi, Samples.memberForm(name: "王五", id: "", overrides: ["phone": ""]))
            try await Self.again(UpdateNominationAddSecretKey(), app)
            let keys = try await Nomination.query(on: app.db).sort(\.$id).all().map { ($0.id!, $0.secretKeyID) }
            #expect(keys.map(\.0) == [sealed, phoneOnly, empty])
            #expect(keys.map(\.1) == [app.secrets.keyID, app.secrets.keyID, nil])
        }
    }
}
