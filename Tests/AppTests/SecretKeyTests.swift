@testable import App
import Crypto
import Fluent
import Foundation
import Testing
import Vapor

/// The master key is never replaced silently: a damaged or missing key file, or a key that is not the one the
/// data was sealed with, stops the start and leaves the file as it was.
@Suite("Secret key")
struct SecretKeyTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("honors-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A sealed value in the database, as a saved nomination has.
    static func sealSomething(_ app: Application) async throws {
        let id = try await app.makeNomination(committee: 3)
        try await app.seal(id, idNumber: Samples.idNumber(sequence: 21))
    }

    @Test("a fresh data folder gets a key file of its own, readable by its owner only, read back the same")
    func fresh() async throws {
        try await withHonorsApp { app, _ in
            let path = try Self.folder() + "/secret.key"
            let made = try await SecretKeySource(origin: .file(path)).open(on: app.db)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try await SecretKeySource(origin: .file(path)).open(on: app.db).keyID == made.keyID)
        }
    }

    @Test("a damaged key file stops the start and is left as it was")
    func damaged() async throws {
        try await withHonorsApp { app, _ in
            let path = try Self.folder() + "/secret.key"
            let damaged = Data("not a key at all\n".utf8)
            try damaged.write(to: URL(fileURLWithPath: path))
            await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .file(path)).open(on: app.db) }
            #expect(FileManager.default.contents(atPath: path) == damaged)
            // A path that is not a readable file is refused the same way.
            let folder = try Self.folder()
            let refusal = await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .file(folder)).open(on: app.db) }
            #expect(refusal?.description.contains("无法读取密钥文件") == true)
        }
    }

    @Test("a lost key file is not replaced while sealed data exists")
    func lost() async throws {
        try await withHonorsApp { app, _ in
            try await Self.sealSomething(app)
            let path = try Self.folder() + "/secret.key"
            let refusal = await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .file(path)).open(on: app.db) }
            #expect(refusal?.description.contains("找不到密钥文件") == true)
            #expect(!FileManager.default.fileExists(atPath: path), "no new key was made")
        }
    }

    @Test("a key that did not seal the stored data stops the start, the key file untouched")
    func mismatch() async throws {
        try await withHonorsApp { app, _ in
            try await Self.sealSomething(app)
            let path = try Self.folder() + "/secret.key"
            let other = Data((SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() + "\n").utf8)
            try other.write(to: URL(fileURLWithPath: path))
            let refusal = await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .file(path)).open(on: app.db) }
            #expect(refusal?.description.contains("密钥不符") == true)
            #expect(refusal?.description.contains(app.secrets.keyID) == true, "the key the data needs is named")
            #expect(FileManager.default.contents(atPath: path) == other)
            // A key in the environment that is not a key is refused as well.
            let env = ["HONORS_SECRET_KEY": "not base64!"]
            await #expect(throws: SecretKeySource.Refusal.self) { try await SecretKeySource(origin: .environment).open(on: app.db, environment: env) }
        }
    }
}
