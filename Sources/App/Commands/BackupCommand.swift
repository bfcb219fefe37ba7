import Foundation
import Vapor

/// `honors backup --to DIR [--with-key] [--files-only]`. (`honors restore` runs before the application is
/// set up: see `Restore`.)
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "备份目录（须为新的或空的目录）") var to: String?
        @Flag(name: "with-key", help: "把密钥文件也放进备份（默认不放）") var withKey: Bool
        @Flag(name: "files-only", help: "只备份上传的文件（PostgreSQL 的数据库用 pg_dump 备份）") var filesOnly: Bool
    }

    let help = "备份数据库和上传的文件 (back up the database and the uploads)"

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let to = signature.to, !to.isEmpty else {
            context.console.error("请用 --to DIR 指定备份目录。")
            throw Backup.Refusal(description: "no --to")
        }
        let outcome = try await Backup.make(context.application, to: URL(fileURLWithPath: to),
                                            withKey: signature.withKey, filesOnly: signature.filesOnly)
        let manifest = outcome.manifest
        let bytes = manifest.files.reduce(0) { $0 + $1.bytes }
        context.console.print("已备份到 \(outcome.folder.path)：\(manifest.files.count) 个文件，共 \(bytes / 1024) KB；审计日志 \(manifest.auditCount) 条，链头 \(manifest.auditHead)。")
        if manifest.withKey {
            context.console.warning("备份中含有密钥文件 secret.key：持有此备份者可读出全部身份证号和电话，请妥善保管。")
        } else {
            context.console.print("备份中不含密钥：恢复时须另行提供原来的密钥（请把密钥与备份分开保管）。")
        }
    }
}
