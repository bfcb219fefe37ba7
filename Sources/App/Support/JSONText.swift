/// JSON written by hand for the two shapes Honors writes with every save and every audit event: an object of
/// strings with sorted keys (a nomination's `data`, byte for byte what `JSONEncoder` writes with `.sortedKeys`)
/// and an array of objects of optional strings (an event's `changes`, its keys always in the order given,
/// where `JSONEncoder` varies from run to run), without the encoder's boxing of every value, which costs as
/// much as the rest of a save. `JSONTextTests` holds both to what the decoders read.
enum JSONText {
    /// `{"a":"1","b":"2"}`, keys sorted as `JSONEncoder.OutputFormatting.sortedKeys` sorts them.
    static func object(_ map: [String: String]) -> String {
        var out = "{"
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            string(key, into: &out)
            out += ":"
            string(map[key]!, into: &out)
        }
        return out + "}"
    }

    /// `[{"k":"v","l":null-less},…]`: each object's pairs in the given order, nil values left out.
    static func array(_ objects: [[(String, String?)]]) -> String {
        var out = "["
        for (index, pairs) in objects.enumerated() {
            if index > 0 { out += "," }
            out += "{"
            var first = true
            for case let (key, value?) in pairs {
                if !first { out += "," }
                first = false
                string(key, into: &out)
                out += ":"
                string(value, into: &out)
            }
            out += "}"
        }
        return out + "]"
    }

    /// A string literal, escaped as `JSONEncoder` escapes: quotes, backslashes, slashes, control characters.
    static func string(_ text: String, into out: inout String) {
        out += "\""
        var plain = text.utf8.startIndex
        let utf8 = text.utf8
        var index = plain
        while index != utf8.endIndex {
            let byte = utf8[index]
            let escape: String?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "/"): escape = "\\/"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x00..<0x20: escape = (byte < 0x10 ? "\\u000" : "\\u00") + String(byte, radix: 16)
            default: escape = nil
            }
            if let escape {
                out += Substring(text.utf8[plain..<index])
                out += escape
                plain = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += Substring(text.utf8[plain..<utf8.endIndex])
        out += "\""
    }
}
