import Crypto
import Foundation
import Vapor

/// Encryption at rest for personal data (ID numbers, phones) and the keyed hash that finds duplicates
/// without decrypting, over a key ring: the first key seals new values and makes new hashes, the others only
/// open what they sealed and still find it, until `honors key rotate` has re-sealed everything.
///
/// The ring is found by `SecretKeySource` and checked against the data before Honors starts. Sealed values
/// carry the key id, so each is opened by the key that sealed it.
struct SecretBox: Sendable {
    struct Key: Sendable {
        let id: String
        fileprivate let encryption: SymmetricKey
        fileprivate let hash: SymmetricKey

        init(master: SymmetricKey) {
            encryption = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("honors-aes-gcm".utf8), outputByteCount: 32)
            hash = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("honors-keyed-hash".utf8), outputByteCount: 32)
            id = Self.id(of: master)
        }

        /// The first 4 bytes of the master key's SHA-256, hex: names the key without revealing it.
        static func id(of master: SymmetricKey) -> String {
            master.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4).hex
        }

        fileprivate func keyedDigest(_ value: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: hash))
        }

        fileprivate func keyedHash(_ value: String) -> String { keyedDigest(value).hex }
    }

    /// The ring, current key first.
    let keys: [Key]

    init(masterKey: SymmetricKey) {
        self.init(ring: [masterKey])
    }

    /// A ring from its master keys, current first; a key listed twice counts once.
    init(ring: [SymmetricKey]) {
        precondition(!ring.isEmpty, "a key ring holds at least one key")
        var seen = Set<String>()
        keys = ring.map(Key.init(master:)).filter { seen.insert($0.id).inserted }
    }

    /// The key that seals new values.
    var keyID: String { keys[0].id }
    var keyIDs: [String] { keys.map(\.id) }
    /// The keys kept for reading only: values under them are re-sealed by `KeyRotation`.
    var olderKeyIDs: [String] { keys.dropFirst().map(\.id) }

    /// `v1:<key id>:<base64 of nonce + ciphertext + tag>`, under the current key.
    func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: keys[0].encryption)
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return "v1:\(keyID):\(combined.base64EncodedString())"
    }

    /// Opens a value sealed by any key of the ring.
    func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "v1", let key = keys.first(where: { $0.id == parts[1] }),
              let data = Data(base64Encoded: String(parts[2]))
        else { throw Abort(.internalServerError, reason: "unreadable ciphertext or unknown key id") }
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key.encryption)
        return String(decoding: plain, as: UTF8.self)
    }

    /// HMAC-SHA256 of a normalised value under the current key, hex: equal inputs give equal hashes, and
    /// nothing can be read back.
    func keyedHash(_ value: String) -> String {
        keys[0].keyedHash(value)
    }

    /// The same keyed hash as bytes (32), for a secret derived from a value rather than compared with one.
    func keyedDigest(_ value: String) -> [UInt8] {
        keys[0].keyedDigest(value)
    }

    /// The value's hash under every key of the ring: what a lookup must match while older rows still carry
    /// an older key's hash.
    func keyedHashes(_ value: String) -> [String] {
        keys.map { $0.keyedHash(value) }
    }

    /// The value's hash under one key of the ring, nil for a key not in it.
    func keyedHash(_ value: String, keyID: String) -> String? {
        keys.first { $0.id == keyID }?.keyedHash(value)
    }

    /// The key id written into a sealed value (`v1:<key id>:…`), nil for anything else.
    static func keyID(ofSealed sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "v1" else { return nil }
        return String(parts[1])
    }
}
