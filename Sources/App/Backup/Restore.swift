import Foundation

/// `honors restore --from DIR`: into an empty data folder only (`HONORS_DATA_DIR`, default `./data`). The
/// backup is checked against its manifest, copied in, and then must pass `honors audit head` (the head the
/// manifest names), `honors check` and `honors audit verify`, each run on the restored folder; a backup that
/// fails any of them is refused and the folder left as empty as it was.
///
/// It runs before the application is set up, since setting up would make a new database in the folder.
public enum Restore {
    /// Runs the command when the arguments name it; nil for every other command.
    public static func main(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32? {
        guard arguments.count >= 2, arguments[1] == "restore" else { return nil }
        var source: String?
        var rest = arguments.dropFirst(2)[...]
        while let argument = rest.popFirst() {
            if argument == "--from", let value = rest.popFirst() { source = value }
            else if argument.hasPrefix("--from=") { source = String(argument.dropFirst(7)) }
            else if argument == "--help" || argument == "-h" {
                print("honors restore --from DIR   从备份恢复到空的数据目录（HONORS_DATA_DIR，默认 ./data）")
                return 0
            } else {
                printError("未知参数：\(argument)")
                return 2
            }
        }
        guard let source else {
            printError("请用 --from DIR 指定备份目录。")
            return 2
        }
        let target = environment["HONORS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        do {
            try run(from: URL(fileURLWithPath: source), into: URL(fileURLWithPath: target), environment: environment)
            return 0
        } catch {
            printError("恢复未完成：\(error)")
            return 1
        }
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static func run(from source: URL, into target: URL, environment: [String: String]) throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: target.path) {
            guard ((try? fileManager.contentsOfDirectory(atPath: target.path)) ?? []).isEmpty else {
                throw Refusal(description: "数据目录 \(target.path) 不是空的：恢复只写入空目录，已有的数据不会被覆盖。")
            }
        }
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.read(from: source)
        } catch {
            throw Refusal(description: "\(source.path) 中没有可读的备份清单（\(BackupManifest.fileName)）。")
        }
        guard manifest.format == BackupManifest.format else { throw Refusal(description: "不认识的备份格式 \(manifest.format)。") }
        let problems = try manifest.problems(in: source)
        guard problems.isEmpty else {
            throw Refusal(description: "备份与其清单不符，未恢复：\(problems.prefix(5).joined(separator: "；"))")
        }
        // Copied beside the target first, moved into place whole.
        let staging = target.deletingLastPathComponent().appendingPathComponent(".honors-restore-\(UUID().uuidString)")
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            for entry in manifest.files {
                let to = staging.appendingPathComponent(entry.path)
                try fileManager.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fileManager.copyItem(at: source.appendingPathComponent(entry.path), to: to)
            }
            if manifest.withKey {
                try fileManager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staging.appendingPathComponent("secret.key").path)
            }
            if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
        do {
            try verify(target, manifest: manifest, environment: environment)
        } catch {
            // A backup that does not verify is not left behind as if it were the data.
            try? fileManager.removeItem(at: target)
            try? fileManager.createDirectory(at: target, withIntermediateDirectories: true)
            throw error
        }
        print("已恢复到 \(target.path)：\(manifest.files.count) 个文件，审计日志 \(manifest.auditCount) 条，链头 \(manifest.auditHead)。")
        if !manifest.withKey { print("备份中不含密钥：请用 HONORS_SECRET_KEY 或 HONORS_SECRET_KEY_FILE 提供原来的密钥。") }
    }

    /// The restored folder, checked by the same commands an operator runs.
    private static func verify(_ target: URL, manifest: BackupManifest, environment: [String: String]) throws {
        var env = environment
        env["HONORS_DATA_DIR"] = target.path
        if manifest.database == "sqlite" { env["DATABASE_URL"] = nil }
        let head = try honors(["audit", "head"], environment: env)
        let lines = Dictionary(head.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }) { $1 }
        if manifest.database == "sqlite", lines["count"] != "\(manifest.auditCount)" || lines["head"] != manifest.auditHead {
            throw Refusal(description: "恢复出的审计日志链头（\(lines["count"] ?? "?") 条，\(lines["head"] ?? "?")）与备份清单记的不同（\(manifest.auditCount) 条，\(manifest.auditHead)）。")
        }
        _ = try honors(["check"], environment: env)
        _ = try honors(["audit", "verify"], environment: env)
    }

    /// Runs this same program with `arguments`; its output, or a refusal with it when it fails.
    private static func honors(_ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Refusal(description: "恢复出的数据未通过 honors \(arguments.joined(separator: " "))：\n\(output)")
        }
        return output
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
