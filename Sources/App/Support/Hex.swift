import Foundation

/// Lowercase hex of bytes (digests, MACs, keys): how Honors writes every hash it stores or shows.
extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
