import Crypto
import Foundation
import HonorsCore

extension FormFingerprint {
    /// The 16 hex digits printed in the form's footer and held in its QR code: SHA-256 of the canonical
    /// text, first 8 bytes (64 bits: no edit can be searched out that keeps a signed form's fingerprint).
    static func of(category: NominationCategory, values: [String: String], photo: String?, salt: String?) -> String {
        let text = canonicalText(category: category, values: values, photo: photo, salt: salt)
        return SHA256.hash(data: Data(text.utf8)).prefix(FormFingerprint.bytes).hex
    }

    /// A new nomination's salt: 16 random bytes as hex.
    static func newSalt() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.hex
    }
}

extension Nomination {
    /// After a change to the printed data (`values` as they now print, the photo as set on the row): the new
    /// fingerprint, with a salt first for a row saved before salts (its data changed, so its fingerprint does
    /// anyway).
    func refingerprint(values: [String: String]) {
        if fingerprintSalt == nil { fingerprintSalt = FormFingerprint.newSalt() }
        dataFingerprint = FormFingerprint.of(category: categoryValue, values: values, photo: photoFile, salt: fingerprintSalt)
    }
}
