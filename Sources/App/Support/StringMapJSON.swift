import Foundation

/// Reads the JSON a nomination's columns hold — an object of strings (`data`), or an object of such objects
/// (`attestations`) — straight from its UTF-8 bytes. Exports and packages read them for every row; this takes
/// half the time `JSONDecoder` does (about 50 µs for one nomination's values), and needs no date coders for the
/// attestations (docs/benchmarks.md).
/// Anything else (numbers, deeper nesting, bad escapes, a key given twice) gives nil and the caller falls back to `JSONDecoder`,
/// so the two never disagree on what they both accept.
enum StringMapJSON {
    static func decode(_ json: String) -> [String: String]? {
        parse(json) { $0.object { $0.string() } }
    }

    /// An object of such objects, as the `attestations` column is (`{"dues_paid_3y": {"at": …, "by": …}}`).
    static func decodeNested(_ json: String) -> [String: [String: String]]? {
        parse(json) { $0.object { $0.object { $0.string() } } }
    }

    /// An array of objects of strings or nulls, as the audit trail's `changes` column is
    /// (`[{"field":"state","new":"submitted","old":null}]`), each object's members in their order (a key given twice
    /// is there twice); a null reads as nil. The audit page reads fifty events' changes of two or three members
    /// each: a dictionary per change cost more than the parse.
    static func decodeObjectMembers(_ json: String) -> [[(key: String, value: String?)]]? {
        parse(json) { $0.array { $0.members { $0.stringOrNull() } } }
    }

    /// `json` read whole by `top`; nil when it fails or leaves anything but space behind.
    private static func parse<Result>(_ json: String, _ top: (inout Parser) -> Result?) -> Result? {
        var json = json
        return json.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            guard let result = top(&parser), parser.atEnd() else { return nil }
            return result
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func object<Value>(_ value: (inout Parser) -> Value?) -> [String: Value]? {
            var result: [String: Value] = [:]
            // A key given twice: JSONDecoder keeps the first, so leave the object to it.
            guard eachMember(value, { key, item in result.updateValue(item, forKey: key) == nil }) else { return nil }
            return result
        }

        /// An object's members in their order.
        mutating func members<Value>(_ value: (inout Parser) -> Value?) -> [(key: String, value: Value)]? {
            var result: [(key: String, value: Value)] = []
            guard eachMember(value, { key, item in result.append((key, item)); return true }) else { return nil }
            return result
        }

        /// Reads an object, handing each member to `member` as it is read (no copy between them: `object` reads every
        /// row's form data in exports); false when the object is not one of such values or `member` refuses one.
        private mutating func eachMember<Value>(_ value: (inout Parser) -> Value?, _ member: (String, Value) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipSpace()
                guard let key = string() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard let item = value(&self), member(key, item) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        }

        mutating func array<Element>(_ element: (inout Parser) -> Element?) -> [Element]? {
            skipSpace()
            guard take(UInt8(ascii: "[")) else { return nil }
            var result: [Element] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return result }
            while true {
                skipSpace()
                guard let item = element(&self) else { return nil }
                result.append(item)
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]")) ? result : nil
            }
        }

        /// A string, or `null` as `.some(nil)`; nil when it is neither.
        mutating func stringOrNull() -> String?? {
            if position + 4 <= bytes.count, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
               bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l") {
                position += 4
                return .some(nil)
            }
            return string().map { .some($0) }
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return position == bytes.count
        }

        private mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// A string: unescaped runs are copied as they are, escapes decoded; control characters are refused
        /// as JSON requires.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    defer { position += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                if byte < 0x20 { return nil }
                position += 1
            }
            return nil
        }

        /// The rest of a string that has escapes: runs between them are copied whole.
        private mutating func escapedString(from start: Int) -> String? {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count - start)
            var run = start
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
                    position += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if byte < 0x20 { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    position += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
                position += 1
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    UTF8.encode(scalar) { out.append($0) }
                default:
                    return nil
                }
                run = position
            }
            return nil
        }

        /// `\uXXXX`, with a surrogate pair taken whole; a lone surrogate is refused.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        private mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                position += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
