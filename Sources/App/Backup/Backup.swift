import Fluent
import Foundation
import SQLKit
import Vapor

/// `honors backup --to DIR`: a consistent copy of the database while the service runs and writes (SQLite's
/// `VACUUM INTO`: one statement, one snapshot), the uploaded files, and a manifest with each file's SHA-256
/// and the audit chain's head. The key goes in only with `--with-key`.
enum Backup {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    struct Outcome: Sendable {
        let manifest: BackupManifest
        let folder: URL
    }

    static func make(_ app: Application, to folder: URL, withKey: Bool, filesOnly: Bool) async throws -> Outcome {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: folder.path),
           !((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty {
            throw Refusal(description: "备份目录 \(folder.path) 不是空的。请指定一个新的或空的目录，已有的备份不会被覆盖。")
        }
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = app.db.isSQLite
        guard sqlite || filesOnly else {
            throw Refusal(description: "当前使用 PostgreSQL：数据库请用 pg_dump 备份（见 docs/deployment.md），本命令请加 --files-only 只备份上传的文件。")
        }
        var head = try await AuditChain.head(on: app.db)
        if sqlite && !filesOnly {
            // One statement reads one snapshot of the whole database, however many writers go on meanwhile.
            let target = folder.appendingPathComponent("honors.sqlite").path
            try await (app.db as! any SQLDatabase).raw("VACUUM INTO \(bind: target)").run()
            head = try await headOf(copy: target, app: app)
        }
        // Uploads are stored under their content hash and never changed: copying them as they are is
        // consistent; a file newer than the database copy is only an extra.
        let uploads = URL(fileURLWithPath: app.honors.dataDirectory).appendingPathComponent("uploads")
        if fileManager.fileExists(atPath: uploads.path) {
            try fileManager.copyItem(at: uploads, to: folder.appendingPathComponent("uploads"))
        }
        if withKey {
            guard case .file(let path) = SecretKeySource.locate(settings: app.honors).origin else {
                throw Refusal(description: "密钥在环境变量 HONORS_SECRET_KEY 中，不在文件里：请从你的密钥保管处另行备份，不加 --with-key。")
            }
            try fileManager.copyItem(at: URL(fileURLWithPath: path), to: folder.appendingPathComponent("secret.key"))
        }
        let manifest = BackupManifest(createdAt: app.clock.now(), database: filesOnly ? "files-only" : "sqlite",
                                      auditCount: head.count, auditHead: head.hash, withKey: withKey,
                                      files: try BackupManifest.entries(in: folder))
        try manifest.write(to: folder)
        return Outcome(manifest: manifest, folder: folder)
    }

    /// The audit head inside the copied file, as the copy has it.
    private static func headOf(copy path: String, app: Application) async throws -> AuditChain.Head {
        let id = DatabaseID(string: "backup-\(UUID().uuidString)")
        app.databases.use(.sqlite(.file(path)), as: id, isDefault: false)
        defer { app.databases.reinitialize(id) }
        guard let db = app.databases.database(id, logger: app.logger, on: app.eventLoopGroup.next()) else {
            throw Refusal(description: "无法打开备份出的数据库。")
        }
        return try await AuditChain.head(on: db)
    }
}
