import Foundation
import Testing
@testable import HonorsOffice

@Suite("Temporary files")
struct TemporaryFilesTests {
    /// A process id that has just ended.
    static func endedProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("what a killed run left goes at the next start: profiles of ended processes and work an hour old; a running process's profile, fresh work and others' files stay")
    func leftovers() throws {
        let fileManager = FileManager.default
        let folder = fileManager.temporaryDirectory.appendingPathComponent("temporary-files-test-\(UUID().uuidString)")
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: folder) }
        func make(_ name: String, age: TimeInterval) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try fileManager.createDirectory(at: url.appendingPathComponent("inside"), withIntermediateDirectories: true)
            try fileManager.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
            return url
        }
        let ended = try make("honors-pdf-profiles-\(try Self.endedProcess())-\(UUID().uuidString)", age: 0)
        let running = try make("honors-pdf-profiles-\(getpid())-\(UUID().uuidString)", age: 5 * 3600)
        let oldScan = try make("honors-scan-\(UUID().uuidString)", age: 2 * 3600)
        let oldOffice = try make("honors-office-\(UUID().uuidString)", age: 2 * 3600)
        let freshScan = try make("honors-scan-\(UUID().uuidString)", age: 60)
        let other = try make("someone-else-\(UUID().uuidString)", age: 30 * 24 * 3600)

        #expect(TemporaryFiles.removeLeftovers(in: folder) == 3)
        for gone in [ended, oldScan, oldOffice] { #expect(!fileManager.fileExists(atPath: gone.path), "\(gone.lastPathComponent)") }
        for kept in [running, freshScan, other] { #expect(fileManager.fileExists(atPath: kept.path), "\(kept.lastPathComponent)") }
    }
}
