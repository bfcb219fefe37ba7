@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// A backup taken while people write is one consistent moment: its database verifies and holds every
/// invariant, its manifest matches its files, and the head it records is the copy's own.
@Suite("Backup")
struct BackupTests {
    @Test("a backup under concurrent writes restores whole", .enabled(if: !onPostgres))
    func underWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("backup")
        try await withHonorsApp(database: .sqliteFile(path: folder.appendingPathComponent("live.sqlite").path)) { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let first = try await NominationTests.create(kuaidi, Samples.memberForm())
            _ = try await kuaidi.upload("/nominations/\(first)/photo", field: "photo", filename: "p.png", data: Samples.png(), contentType: "image/png")
            let outcome = try await withThrowingTaskGroup(of: Backup.Outcome?.self) { group in
                for n in 0..<12 {
                    group.addTask {
                        let id = try await NominationTests.create(kuaidi, Samples.memberForm(name: "并发\(n)", id: Samples.idNumber(sequence: 301 + 2 * n)))
                        _ = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(name: "并发\(n)", overrides: [
                            "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(id, app))"]))
                        return nil
                    }
                }
                group.addTask { try await Backup.make(app, to: target, withKey: false, filesOnly: false) }
                var made: Backup.Outcome?
                for try await result in group { if let result { made = result } }
                return try #require(made)
            }
            #expect(try outcome.manifest.problems(in: target) == [])
            #expect(outcome.manifest.files.contains { $0.path == "honors.sqlite" })
            #expect(outcome.manifest.files.contains { $0.path.hasPrefix("uploads/") })
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("secret.key").path))
            // A second backup into the same folder is refused: a backup is never overwritten.
            await #expect(throws: Backup.Refusal.self) { try await Backup.make(app, to: target, withKey: false, filesOnly: false) }
        }
        // The copy, opened as a database of its own, is one moment of the live one.
        try await withHonorsApp(database: .sqliteFile(path: target.appendingPathComponent("honors.sqlite").path), checkInvariants: false) { app, _ in
            let report = try await AuditVerifier.verify(on: app.db)
            #expect(report.isWhole, "\(String(describing: report.problem))")
            let manifest = try BackupManifest.read(from: target)
            #expect(report.count == manifest.auditCount && report.head.hash == manifest.auditHead)
            for check in [try await InvariantCheck.slots(on: app.db, at: app.clock.now()), try await InvariantCheck.people(on: app.db),
                          try await InvariantCheck.states(on: app.db), try await InvariantCheck.creations(on: app.db)] {
                #expect(check == [])
            }
        }
    }
}
