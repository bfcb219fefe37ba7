import Crypto
import Foundation

/// Lowercase hex of bytes (digests, MACs, keys): how Honors writes every hash it stores or shows.
extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

extension String {
    /// SHA-256 of the text's UTF-8, hex: what is stored of a token or code that must never be read back.
    var sha256Hex: String { SHA256.hash(data: Data(utf8)).hex }
}
