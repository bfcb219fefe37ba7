@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Files in the upload folders that no record names (a scan never confirmed, a photo replaced) are removed
/// once their grace period is over; every file a record names stays.
@Suite("Stored files")
struct StoredFilesTests {
    static func files(in folder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(names.filter { name in
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &directory) && !directory.boolValue
        })
    }

    @Test("an unconfirmed scan, a replaced photo and a half-written file are removed after two hours; named files stay")
    func unnamedRemoved() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let photos = UploadStore(app: app, kind: .photo).folder, scans = UploadStore(app: app, kind: .scan).folder
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "照片.png",
                                        data: Samples.png(width: 300, height: 400), contentType: "image/png")
            let first = try #require(try await Nomination.find(id, on: app.db)?.photoFile)
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "新照片.png",
                                        data: Samples.png(), contentType: "image/png")
            let current = try #require(try await Nomination.find(id, on: app.db)?.photoFile)
            #expect(first != current)
            // A scan waiting for its confirmation: stored, named by no record yet.
            let pending = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "扫描件.png",
                                                  data: Samples.png(width: 1240, height: 1754), contentType: "image/png")
            #expect(Flow.pendingToken(pending) != nil)
            let unconfirmed = Self.files(in: scans)
            #expect(unconfirmed.count == 1)
            // What an atomic write killed half-way leaves beside the files.
            #expect(FileManager.default.createFile(atPath: photos + "/.\(current).partial", contents: Data("half".utf8)))
            #expect(Self.files(in: photos) == [first, current, ".\(current).partial"])

            // Within the grace period nothing goes: the scan may still be confirmed.
            #expect(try await StoredFiles.removeUnnamed(app, now: Date()) == 0)
            #expect(Self.files(in: scans) == unconfirmed)

            #expect(try await StoredFiles.removeUnnamed(app, now: Date().addingTimeInterval(StoredFiles.graceForUnnamed + 60)) == 3)
            #expect(Self.files(in: photos) == [current])
            #expect(Self.files(in: scans).isEmpty)

            // A confirmed scan is named and stays however old.
            try await Flow.uploadScan(kuaidi, id, app: app)
            let confirmed = Self.files(in: scans)
            #expect(confirmed.count == 1)
            #expect(try await StoredFiles.removeUnnamed(app, now: Date().addingTimeInterval(30 * 24 * 3600)) == 0)
            #expect(Self.files(in: scans) == confirmed)
            #expect(Self.files(in: photos) == [current])
        }
    }

    @Test("a stored upload is 0600 and whole; a killed write's partial file goes at the next start, a live writer's stays")
    func killedWrites() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let photo = Samples.png(width: 300, height: 400)
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "照片.png", data: photo, contentType: "image/png")
            let name = try #require(try await Nomination.find(id, on: app.db)?.photoFile)
            let folder = UploadStore(app: app, kind: .photo).folder
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try UploadStore(app: app, kind: .photo).read(name) == photo)
            #expect(Self.files(in: folder) == [name], "no partial file is left beside a finished write")

            // A process that no longer runs (pid beyond the kernel's limit), this process's earlier namesake
            // after a restart with the same pid, and a live writer (pid 1, always running).
            let dead = name + DurableFile.partialMarker + "4194999-1", mine = name + DurableFile.partialMarker + "\(getpid())-2"
            let live = name + DurableFile.partialMarker + "1-3"
            for partial in [dead, mine, live] {
                #expect(FileManager.default.createFile(atPath: folder + "/" + partial, contents: Data("half".utf8)))
            }
            #expect(StoredFiles.removeAbandonedWrites(app) == 2)
            #expect(Self.files(in: folder) == [name, live])
        }
    }

    @Test("a file replaced in one step keeps the owner, group and mode of the one it replaces")
    func replacedKeepsOwner() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/secret.key"
        try DurableFile.write(Data("one".utf8), to: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "a new file is the writer's alone")
        // As an administrator sets up a shared key: group-readable, owned by the service's user (as root here).
        #expect(chmod(path, 0o640) == 0)
        let asRoot = geteuid() == 0
        if asRoot { #expect(chown(path, 65534, 65534) == 0) }
        try DurableFile.write(Data("two".utf8), to: path)
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)
        if asRoot { #expect(info.st_uid == 65534 && info.st_gid == 65534) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
    }
}
