import Crypto
import Foundation

/// Lowercase hex of bytes (digests, MACs, keys): how Honors writes every hash it stores or shows.
extension Sequence where Element == UInt8 {
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Data {
    /// Base64 that fits a cookie, a form field, a header and a URL unescaped: `-` and `_`, no padding.
    var base64url: String {
        // Byte by byte: Foundation's string replacing is slow, and every page signs a CSRF token with this.
        var out = [UInt8]()
        out.reserveCapacity((count + 2) / 3 * 4)
        for byte in base64EncodedData() {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// SHA-256 of the text's UTF-8, hex: what is stored of a token or code that must never be read back.
    var sha256Hex: String { SHA256.hash(data: Data(utf8)).hex }
}
