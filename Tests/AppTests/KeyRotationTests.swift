@testable import App
import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// `honors key rotate`: a new key seals new values, the older ones keep opening theirs, every stored value is
/// moved onto the new key (resumable), the duplicate check holds throughout, and an older key leaves the
/// ring only once nothing needs it.
@Suite("Key rotation")
struct KeyRotationTests {
    /// The app's ring moved into a key file of its own, before anything is sealed.
    static func fileRing(_ app: Application) async throws -> String {
        let path = try SecretKeyTests.folder() + "/secret.key"
        let source = SecretKeySource(origin: .file(path))
        app.secretKeys = SecretKeys(try await source.open(on: app.db), source: source)
        return path
    }

    struct Row {
        let id: Int
        let idNumber: String?
        let idHash: String?
        let keyID: String?
        let sealedKeys: Set<String?>
    }

    static func rows(_ app: Application) async throws -> [Row] {
        try await Nomination.query(on: app.db).sort(\.$id).all().map { n in
            Row(id: try n.requireID(), idNumber: try n.idNumberSealed.map(app.secrets.open), idHash: n.idHash, keyID: n.secretKeyID,
                sealedKeys: Set([n.idNumberSealed, n.phoneSealed].compactMap { $0 }.map(SecretBox.keyID(ofSealed:))))
        }
    }

    static func events(_ app: Application, _ action: String) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: app.db).filter(\.$action == action).sort(\.$id).all()
    }

    @Test("rotation re-seals every value and rebuilds the duplicate hashes, resumable half-way; the old key can then be retired")
    func rotateResealRetire() async throws {
        try await withHonorsApp { app, _ in
            let path = try await Self.fileRing(app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let people = (0..<3).map { Samples.idNumber(sequence: 401 + 2 * $0) }
            for (n, person) in people.enumerated() {
                _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "人\(n)", id: person))
            }
            let old = app.secrets.keyID
            await #expect(throws: KeyRotation.Refusal.self, "the current key cannot go") { try await KeyRotation.retire(app, keyID: old) }

            let (box, environmentValue) = try await KeyRotation.rotate(app)
            #expect(environmentValue == nil)
            #expect(box.keyIDs == [box.keyID, old] && box.keyID != old)
            #expect(app.secrets.keyIDs == box.keyIDs, "this process reads the new ring at once")
            #expect(try SecretKeySource.read(path).keyIDs == box.keyIDs, "the file holds the new key first, the old one after it")
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let refused = await #expect(throws: KeyRotation.Refusal.self) { try await KeyRotation.retire(app, keyID: old) }
            #expect(refused?.description.contains("仍有 3 条推荐") == true)

            // A crash after the first batch: two moved, one still under the old key, all readable.
            let half = try await KeyRotation.reseal(app, batch: 2, maxBatches: 1)
            #expect(half == .init(resealed: 2, remaining: 1, unreadable: []))
            #expect(try await Self.rows(app).map(\.idNumber) == people)
            // The duplicate check finds a person under either key.
            for person in [people[0], people[2]] {
                let again = try await kuaidi.post("/nominations", Samples.memberForm(name: "重复", id: person))
                #expect(again.status == .conflict, "\(person)")
            }
            // A new nomination meanwhile is sealed with the new key.
            let fresh = try await NominationTests.create(kuaidi, Samples.memberForm(name: "新人", id: Samples.idNumber(sequence: 421)))
            #expect(try await Nomination.find(fresh, on: app.db)?.secretKeyID == box.keyID)

            let rest = try await KeyRotation.reseal(app)
            #expect(rest == .init(resealed: 1, remaining: 0, unreadable: []))
            for row in try await Self.rows(app) {
                #expect(row.keyID == box.keyID && row.sealedKeys == [box.keyID], "\(row.id)")
                #expect(row.idHash == row.idNumber.map(box.keyedHash), "\(row.id): the hash is the new key's")
            }
            #expect(try await KeyRotation.usage(on: app.db) == [box.keyID: .init(nominations: 4, values: 8)])
            #expect(try await KeyRotation.reseal(app) == .init(), "nothing left: a second run changes nothing")

            let (retired, _) = try await KeyRotation.retire(app, keyID: old)
            #expect(retired.keyIDs == [box.keyID])
            // Started again with only the new key, everything opens; the duplicate check still holds.
            let reopened = try await SecretKeySource(origin: .file(path)).open(on: app.db)
            #expect(reopened.keyIDs == [box.keyID])
            #expect(try await Self.rows(app).prefix(3).map(\.idNumber) == people)
            #expect(try await kuaidi.post("/nominations", Samples.memberForm(name: "重复", id: people[1])).status == .conflict)

            #expect(try await Self.events(app, "key.rotate").map(\.objectID) == [box.keyID])
            let reseals = try await Self.events(app, "key.reseal")
            #expect(reseals.map { $0.fieldChanges.first { $0.field == "resealed" }?.new } == ["2", "1"])
            #expect(try await Self.events(app, "key.retire").map(\.objectID) == [old])
        }
    }

    @Test("an objector's sealed name and phone move onto the new key; the old key stays until they have")
    func objectionsAcrossRotation() async throws {
        try await withHonorsApp { app, _ in
            _ = try await Self.fileRing(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let ids = try await PublicityTests.approved(app, names: ["张伟"])
            #expect(try await admin.post("/campaigns/1/publicity", try await PublicityTests.startForm(app, ids: ids)).status == .seeOther)
            #expect(try await Browser(app).post("/public/campaigns/1/objections", PublicityTests.objection(app, nomination: ids[0])).status == .seeOther)
            let old = app.secrets.keyID
            let (box, _) = try await KeyRotation.rotate(app)
            // The objection alone waits for the re-sealing (the administrator's authenticator is set aside here).
            try await UserFactor.query(on: app.db).delete()
            let before = try #require(try await Objection.query(on: app.db).first())
            #expect(before.secretKeyID == old)
            let refused = await #expect(throws: KeyRotation.Refusal.self) { try await KeyRotation.retire(app, keyID: old) }
            #expect(refused?.description.contains("1 条异议人的姓名和电话") == true, "\(refused?.description ?? "")")
            #expect(try await KeyRotation.reseal(app).resealed >= 1)
            #expect(try await KeyRotation.pending(on: app.db, older: [old]) == 0)
            let objection = try #require(try await Objection.query(on: app.db).first())
            #expect(objection.secretKeyID == box.keyID && SecretBox.keyID(ofSealed: objection.objectorNameSealed) == box.keyID)
            _ = try await KeyRotation.retire(app, keyID: old)
            #expect(try app.secrets.open(objection.objectorNameSealed) == "李明")
            #expect(try app.secrets.open(objection.objectorPhoneSealed) == "13912345678")
        }
    }

    @Test("a start with a ring that lacks a key still sealing values is refused, naming the key")
    func ringMissingAKeyInUse() async throws {
        // The hand-edited ring leaves values no key opens: `honors check` rightly fails on it.
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let path = try await Self.fileRing(app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm())
            let old = app.secrets.keyID
            _ = try await KeyRotation.rotate(app)
            // Someone "retires" the old key by hand before the re-sealing ran.
            let keys = try KeyRingFile.parse(String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self))
            let handEdited = Data(KeyRingFile.render([keys[0]]).utf8)
            try handEdited.write(to: URL(fileURLWithPath: path))
            let refusal = await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .file(path)).open(on: app.db) }
            #expect(refusal?.description.contains("密钥不符") == true && refusal?.description.contains(old) == true)
            #expect(FileManager.default.contents(atPath: path) == handEdited, "the file is left as it was")
        }
    }

    @Test("an instance sharing the key file reads the new ring: it opens values sealed with the new key and seals with it")
    func sharedFile() async throws {
        try await withHonorsApp { app, _ in
            let path = try await Self.fileRing(app)
            let source = SecretKeySource(origin: .file(path))
            let other = SecretKeys(try await source.open(on: app.db), source: source)
            let (box, _) = try await KeyRotation.rotate(app)
            let sealed = try app.secrets.seal("18647176667")
            // It looks at the file at most once a second.
            try await Task.sleep(for: .milliseconds(1100))
            #expect(other.box.keyID == box.keyID)
            #expect(try other.box.open(sealed) == "18647176667")
            // A damaged file leaves the ring it has.
            try await Task.sleep(for: .milliseconds(1100))
            try Data("damaged".utf8).write(to: URL(fileURLWithPath: path))
            #expect(other.box.keyIDs == box.keyIDs)
        }
    }

    @Test("a 纪检 reply stays with its nominee when the row still carries the older key's hash")
    func integrityAcrossRotation() async throws {
        try await withHonorsApp { app, _ in
            _ = try await Self.fileRing(app)
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            _ = try await Flow.sendBack(desk.admin, desk.id, app: app)
            _ = try await KeyRotation.rotate(app)
            let saved = try await desk.kuaidi.post("/nominations/\(desk.id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "version": "\(try await Flow.version(desk.id, app))"]))
            #expect(saved.status == .seeOther)
            let row = try #require(try await Nomination.find(desk.id, on: app.db))
            #expect(row.integrityResult == "clear", "the same person under the new key's hash")
            #expect(row.secretKeyID == app.secrets.keyID)
        }
    }

    @Test("a ring in the environment: keys separated by commas, the first seals, the others open what they sealed")
    func environmentRing() async throws {
        try await withHonorsApp { app, _ in
            let keys = [SymmetricKey(size: .bits256), SymmetricKey(size: .bits256)]
            let env = ["HONORS_SECRET_KEY": KeyRingFile.environmentValue(keys)]
            let box = try await SecretKeySource(origin: .environment).open(on: app.db, environment: env)
            #expect(box.keyIDs == keys.map(SecretBox.Key.id(of:)))
            let older = SecretBox(masterKey: keys[1])
            #expect(try box.open(try older.seal("x")) == "x", "an older key still opens its values")
            #expect(SecretBox.keyID(ofSealed: try box.seal("x")) == box.keyID)
        }
    }
}
