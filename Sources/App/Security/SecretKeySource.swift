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

    /// The key: read, or made for a database without sealed values; then checked against what is stored.
    func open(on db: any Database, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> SecretBox {
        let sealed = try await Self.anySealedValue(on: db)
        let box: SecretBox
        switch origin {
        case .environment:
            guard let data = Data(base64Encoded: environment["HONORS_SECRET_KEY"] ?? ""), data.count == 32 else {
                throw Refusal(description: "HONORS_SECRET_KEY 须为 32 个随机字节的 base64（可用 openssl rand -base64 32 生成）。未启动。")
            }
            box = SecretBox(masterKey: SymmetricKey(data: data))
        case .file(let path):
            if FileManager.default.fileExists(atPath: path) {
                box = try Self.read(path)
            } else if let sealed {
                throw Refusal(description: """
                    找不到密钥文件 \(path)，而数据库中已有用密钥 \(SecretBox.keyID(ofSealed: sealed) ?? "?") 加密的身份证号和电话。\
                    未启动，也未生成新密钥（新密钥打不开这些数据）。请从备份中取回原密钥文件放回此处，或用 HONORS_SECRET_KEY_FILE 指向它。
                    """)
            } else {
                box = try Self.create(path)
            }
        }
        if let sealed, let stored = SecretBox.keyID(ofSealed: sealed), stored != box.keyID {
            throw Refusal(description: """
                密钥不符：数据库中的身份证号和电话是用密钥 \(stored) 加密的，而配置的密钥是 \(box.keyID)。未启动，密钥文件未作改动。\
                请换回原来的密钥（HONORS_SECRET_KEY、HONORS_SECRET_KEY_FILE 或数据目录中的 secret.key）。
                """)
        }
        return box
    }

    private static func read(_ path: String) throws -> SecretBox {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw Refusal(description: "无法读取密钥文件 \(path)（请检查文件权限）。未启动，文件未作改动。")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text), data.count == 32 else {
            throw Refusal(description: "密钥文件 \(path) 已损坏（应为 32 个字节的 base64，一行）。未启动，文件未作改动；请从备份中恢复它。")
        }
        return SecretBox(masterKey: SymmetricKey(data: data))
    }

    private static func create(_ path: String) throws -> SecretBox {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0) }.base64EncodedString()
        // O_EXCL: if another process made the file in the meantime, it is theirs and is not overwritten.
        let fd = createExclusively(path)
        guard fd >= 0 else { throw Refusal(description: "无法创建密钥文件 \(path)。未启动。") }
        let bytes = Array((encoded + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw Refusal(description: "写入密钥文件 \(path) 失败。未启动。") }
        return SecretBox(masterKey: key)
    }

    /// One sealed value from the database, if any: the key that sealed it must be the key configured.
    static func anySealedValue(on db: any Database) async throws -> String? {
        let sql = db as! any SQLDatabase
        for column in ["id_number_enc", "phone_enc"] {
            if let row = try await sql.select().column(SQLIdentifier(column)).from(Nomination.schema)
                .where(SQLIdentifier(column), .isNot, SQLLiteral.null).limit(1).first() {
                return try row.decode(column: column, as: String.self)
            }
        }
        return nil
    }
}

/// Creates a file that must not exist yet, readable by its owner only.
private func createExclusively(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
}
