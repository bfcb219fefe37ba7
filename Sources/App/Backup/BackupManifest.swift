import Crypto
import Foundation

/// What a backup folder holds, written as `manifest.json` beside it: every file with its size and SHA-256,
/// the audit chain's head at the moment the database was copied, and whether the key is in it.
struct BackupManifest: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        /// Path inside the backup folder.
        var path: String
        var bytes: Int
        var sha256: String
    }

    static let fileName = "manifest.json"
    static let format = "honors-backup-v1"

    var format = BackupManifest.format
    var createdAt: Date
    /// `sqlite`, or `files-only` for a PostgreSQL deployment whose database is dumped with pg_dump.
    var database: String
    var auditCount: Int
    var auditHead: String
    var withKey: Bool
    var files: [Entry]

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().hex
    }

    /// Every regular file below `folder` (the manifest itself aside), sorted, with its hash.
    static func entries(in folder: URL) throws -> [Entry] {
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
        else { return [] }
        var out: [Entry] = []
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values.isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            guard path != fileName else { continue }
            out.append(Entry(path: path, bytes: values.fileSize ?? 0, sha256: try sha256(of: url)))
        }
        return out.sorted { $0.path < $1.path }
    }

    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName))
    }

    static func read(from folder: URL) throws -> BackupManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupManifest.self, from: Data(contentsOf: folder.appendingPathComponent(fileName)))
    }

    /// What differs between the folder and its manifest: missing, changed or unlisted files.
    func problems(in folder: URL) throws -> [String] {
        let found = Dictionary(uniqueKeysWithValues: try Self.entries(in: folder).map { ($0.path, $0) })
        var problems: [String] = []
        for entry in files {
            guard let there = found[entry.path] else { problems.append("缺少文件 \(entry.path)"); continue }
            if there.sha256 != entry.sha256 { problems.append("文件 \(entry.path) 与清单中的哈希不符") }
        }
        let listed = Set(files.map(\.path))
        for path in found.keys.sorted() where !listed.contains(path) { problems.append("清单中没有的文件 \(path)") }
        return problems
    }
}
