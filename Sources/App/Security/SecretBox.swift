import Crypto
import Foundation
import Vapor

/// Encryption at rest for personal data (ID numbers, phones) and the keyed hash that finds duplicates
/// without decrypting.
///
/// The master key comes from `HONORS_SECRET_KEY` (base64 of 32 bytes; required when several instances
/// share a database) or from `secret.key` in the data folder, created on first start. Ciphertexts carry the
/// key id, so a later key rotation can tell which key opens which value.
struct SecretBox: Sendable {
    private let encryptionKey: SymmetricKey
    private let hashKey: SymmetricKey
    let keyID: String

    init(masterKey: SymmetricKey) {
        encryptionKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("honors-aes-gcm".utf8),
                                               outputByteCount: 32)
        hashKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("honors-keyed-hash".utf8),
                                         outputByteCount: 32)
        keyID = masterKey.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// `v1:<key id>:<base64 of nonce + ciphertext + tag>`.
    func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: encryptionKey)
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return "v1:\(keyID):\(combined.base64EncodedString())"
    }

    func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "v1", parts[1] == keyID, let data = Data(base64Encoded: String(parts[2]))
        else { throw Abort(.internalServerError, reason: "unreadable ciphertext or unknown key id") }
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: encryptionKey)
        return String(decoding: plain, as: UTF8.self)
    }

    /// HMAC-SHA256 of a normalised value, hex: equal inputs give equal hashes, and nothing can be read back.
    func keyedHash(_ value: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: hashKey).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads or creates the master key as configured.
    static func load(settings: HonorsSettings, environment: Environment) throws -> SecretBox {
        if let configured = ProcessInfo.processInfo.environment["HONORS_SECRET_KEY"], !configured.isEmpty {
            guard let data = Data(base64Encoded: configured), data.count == 32 else {
                throw Abort(.internalServerError, reason: "HONORS_SECRET_KEY must be the base64 of 32 random bytes")
            }
            return SecretBox(masterKey: SymmetricKey(data: data))
        }
        if environment == .testing { return SecretBox(masterKey: SymmetricKey(size: .bits256)) }
        let path = settings.dataDirectory + "/secret.key"
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
           let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 {
            return SecretBox(masterKey: SymmetricKey(data: data))
        }
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0) }.base64EncodedString()
        guard FileManager.default.createFile(atPath: path, contents: Data((encoded + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "cannot write \(path)")
        }
        return SecretBox(masterKey: key)
    }
}

extension Application {
    private struct SecretBoxKey: StorageKey { typealias Value = SecretBox }

    var secrets: SecretBox {
        get {
            guard let box = storage[SecretBoxKey.self] else { fatalError("SecretBox is set up in configure") }
            return box
        }
        set { storage[SecretBoxKey.self] = newValue }
    }
}
