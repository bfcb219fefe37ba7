import Foundation

/// The one place where user text becomes XML text, so every part of a package obeys the same rules:
/// markup characters are escaped and characters XML 1.0 forbids are dropped (Word and Excel call a file
/// with them damaged). Everything else, rare CJK and emoji included, passes through untouched.
public enum XMLText: Sendable {
    /// Whether XML 1.0 allows the scalar in a document; pasted text often carries the forbidden ones.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x00...0x1F: return false
        case 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// The text with forbidden characters removed, for callers that store or compare what will be written.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isAllowed))
        return String(scalars)
    }

    /// Sanitised and escaped text, safe both as element content and inside a quoted attribute.
    public static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether Word needs `xml:space="preserve"` to keep the run's outer white space.
    public static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        return first.properties.isWhitespace || last.properties.isWhitespace
    }

    /// Byte-level escape straight into an output buffer; sheets with hundreds of thousands of cells go
    /// through here, so it never builds intermediate strings. Valid UTF-8 guarantees that bytes below 0x80
    /// are whole characters, and U+FFFE/U+FFFF are the only forbidden multi-byte sequences (EF BF BE/BF).
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            let count = utf8.count
            var index = 0
            while index < count {
                let byte = utf8[index]
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: ampEntity)
                case UInt8(ascii: "<"): out.append(contentsOf: ltEntity)
                case UInt8(ascii: ">"): out.append(contentsOf: gtEntity)
                case UInt8(ascii: "\""): out.append(contentsOf: quotEntity)
                case UInt8(ascii: "'"): out.append(contentsOf: aposEntity)
                case 0x09, 0x0A, 0x0D: out.append(byte)
                case 0x00...0x1F: break
                case 0xEF where index + 2 < count && utf8[index + 1] == 0xBF
                    && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                    index += 2
                default: out.append(byte)
                }
                index += 1
            }
        }
    }

    private static let ampEntity = Array("&amp;".utf8)
    private static let ltEntity = Array("&lt;".utf8)
    private static let gtEntity = Array("&gt;".utf8)
    private static let quotEntity = Array("&quot;".utf8)
    private static let aposEntity = Array("&apos;".utf8)
}

/// A growing UTF-8 buffer for writing XML parts; one buffer per part keeps building linear in size.
struct XMLBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        bytes.append(0x0A)
    }

    /// Markup written by this library itself, never user text.
    mutating func raw(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    /// User text, sanitised and escaped.
    mutating func text(_ value: String) {
        XMLText.appendEscaped(value, to: &bytes)
    }

    /// An attribute ` name="value"` with the value escaped.
    mutating func attribute(_ name: String, _ value: String) {
        bytes.append(0x20)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: #"=""#.utf8)
        XMLText.appendEscaped(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An attribute with an integer value, written without going through String interpolation.
    mutating func attribute(_ name: String, _ value: Int) {
        bytes.append(0x20)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: #"=""#.utf8)
        integer(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Decimal digits of an integer, appended directly.
    mutating func integer(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            bytes.append(contentsOf: String(value.magnitude).utf8)
            return
        }
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for position in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(buffer[position])
            }
        }
    }

    /// Raw bytes, for pre-encoded fragments such as column letters.
    mutating func append(_ fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    var data: Data { Data(bytes) }
}
