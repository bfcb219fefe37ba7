import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Where the master key comes from, in this order: `HONORS_SECRET_KEY` (base64 of 32 bytes), the file
/// `HONORS_SECRET_KEY_FILE` names (outside the data folder, for real deployments), or `secret.key` in the
/// data folder. A key file is never overwritten and never replaced: a file that cannot be read, or holds
/// anything but a key, stops the start with the reason, and so does a key that is not the one the stored
/// values were sealed with. A new key is made only for a database that holds no sealed value yet.
struct SecretKeySource: Sendable {
    enum Origin: Sendable, Equatable {
        case environment
        case file(String)
    }

    let origin: Origin

    /// Refuses to start, saying why and what to do; nothing was changed.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static func locate(settings: HonorsSettings, environment: [String: String] = ProcessInfo.processInfo.environment) -> SecretKeySource {
        if let inline = environment["HONORS_SECRET_KEY"], !inline.isEmpty { return SecretKeySource(origin: .environment) }
        if let path = environment["HONORS_SECRET_KEY_FILE"], !path.isEmpty { return SecretKeySource(origin: .file(path)) }
        return SecretKeySource(origin: .file(settings.dataDirectory + "/secret.key"))
    }

    /// The ring: read, or a first key made for a database without sealed values; then checked against what
    /// is stored: every key a stored value was sealed with must be in it.
    func open(on db: any Database, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> SecretBox {
        let inUse = try await Self.keyIDsInUse(on: db)
        let box: SecretBox
        switch origin {
        case .environment:
            box = try readRing(environment: environment)
        case .file(let path):
            if FileManager.default.fileExists(atPath: path) {
                box = try Self.read(path)
            } else if let needed = inUse.first {
                throw Refusal(description: """
                    找不到密钥文件 \(path)，而数据库中已有用密钥 \(needed) 加密的身份证号和电话。\
                    未启动，也未生成新密钥（新密钥打不开这些数据）。请从备份中取回原密钥文件放回此处，或用 HONORS_SECRET_KEY_FILE 指向它。
                    """)
            } else {
                box = try Self.create(path)
            }
        }
        let missing = inUse.filter { !box.keyIDs.contains($0) }
        if !missing.isEmpty {
            throw Refusal(description: """
                密钥不符：数据库中的身份证号和电话是用密钥 \(missing.joined(separator: "、")) 加密的，而配置的密钥环只有 \
                \(box.keyIDs.joined(separator: "、"))。未启动，密钥文件未作改动。\
                请换回原来的密钥（HONORS_SECRET_KEY、HONORS_SECRET_KEY_FILE 或数据目录中的 secret.key）。
                """)
        }
        return box
    }

    /// The ring as configured now, without looking at the database: what `honors key` changes.
    func readRing(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SecretBox {
        SecretBox(ring: try readKeys(environment: environment))
    }

    /// The raw keys of the ring as configured now, current first.
    func readKeys(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [SymmetricKey] {
        switch origin {
        case .environment:
            guard let keys = try? KeyRingFile.parse(environment["HONORS_SECRET_KEY"] ?? "") else {
                throw Refusal(description: "HONORS_SECRET_KEY 须为 32 个随机字节的 base64（可用 openssl rand -base64 32 生成），多个密钥以逗号分隔、当前密钥在前。未启动。")
            }
            return keys
        case .file(let path): return try Self.readKeys(path)
        }
    }

    static func read(_ path: String) throws -> SecretBox {
        SecretBox(ring: try readKeys(path))
    }

    private static func readKeys(_ path: String) throws -> [SymmetricKey] {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw Refusal(description: "无法读取密钥文件 \(path)（请检查文件权限）。未启动，文件未作改动。")
        }
        guard let keys = try? KeyRingFile.parse(String(decoding: contents, as: UTF8.self)) else {
            throw Refusal(description: "密钥文件 \(path) 已损坏（每行应为 32 个字节的 base64，当前密钥在第一行）。未启动，文件未作改动；请从备份中恢复它。")
        }
        return keys
    }

    private static func create(_ path: String) throws -> SecretBox {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        // O_EXCL: if another process made the file in the meantime, it is theirs and is not overwritten.
        let fd = createExclusively(path)
        guard fd >= 0 else { throw Refusal(description: "无法创建密钥文件 \(path)。未启动。") }
        let bytes = Array(KeyRingFile.render([key]).utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let flushed = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, flushed else { throw Refusal(description: "写入密钥文件 \(path) 失败。未启动。") }
        return SecretBox(masterKey: key)
    }

    /// The keys the stored values were sealed with: nominations' ID numbers and phones, authenticator secrets.
    static func keyIDsInUse(on db: any Database) async throws -> [String] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT secret_key_id FROM nominations WHERE secret_key_id IS NOT NULL
            UNION SELECT secret_key_id FROM user_factors
            """).all()
        return try rows.map { try $0.decode(column: "secret_key_id", as: String.self) }.sorted()
    }
}

/// Creates a file that must not exist yet, readable by its owner only.
private func createExclusively(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
}
