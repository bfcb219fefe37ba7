import Crypto
import Foundation
import Vapor

/// Encryption at rest for personal data (ID numbers, phones) and the keyed hash that finds duplicates
/// without decrypting.
///
/// The master key is found by `SecretKeySource` and checked against the data by `SecretKeyCheck` before
/// Honors starts. Ciphertexts carry the key id, so a later key rotation can tell which key opens which value.
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
    /// The key id written into a sealed value (`v1:<key id>:…`), nil for anything else.
    static func keyID(ofSealed sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "v1" else { return nil }
        return String(parts[1])
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
