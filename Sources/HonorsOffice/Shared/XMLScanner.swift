import Foundation

/// A small streaming XML reader for OOXML parts. Foundation's XMLParser on Linux gives up on inputs over
/// about 10 MB (libxml2's lookup limit), which a large sheet exceeds; this scanner has no size limit,
/// checks that tags nest, decodes the predefined and numeric entities, and ignores DTDs, comments and
/// processing instructions, which OOXML parts do not rely on. Names are reported without their prefix.
struct XMLScanner {
    /// Receives the document's events in order.
    protocol Handler {
        mutating func start(_ name: Substring, attributes: [Substring: String])
        mutating func end(_ name: Substring)
        mutating func text(_ text: String)
        /// True once the handler wants no more events (a limit passed): the rest of the part is not read.
        var stopped: Bool { get }
    }

    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "\(reason) at byte \(offset)" }
    }

    /// Elements nested deeper than the scanner's `maximumDepth`: no OOXML part needs it, a hostile one does.
    struct TooDeep: Error {
        let depth: Int
    }

    static func scan<H: Handler>(_ data: Data, handler: inout H, maximumDepth: Int = 256) throws {
        let bytes = [UInt8](data)
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = Cursor(bytes: buffer, maximumDepth: maximumDepth)
            try scanner.run(&handler)
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var open: [ArraySlice<UInt8>] = []
        var sawRoot = false
        let maximumDepth: Int

        init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
            // Skip a UTF-8 byte order mark.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        }

        func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

        mutating func run<H: Handler>(_ handler: inout H) throws {
            let count = bytes.count
            while index < count {
                if handler.stopped { return }
                if bytes[index] == UInt8(ascii: "<") {
                    try markup(&handler)
                } else {
                    let start = index
                    while index < count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    if open.isEmpty {
                        // Only white space may stand outside the root element.
                        guard bytes[start..<index].allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
                        else { throw fail("text outside the root element") }
                    } else {
                        handler.text(try decode(start..<index))
                    }
                }
            }
            guard open.isEmpty else { throw fail("unclosed element \(String(decoding: open.last!, as: UTF8.self))") }
            guard sawRoot else { throw fail("no root element") }
        }

        private func hasPrefix(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard index + length <= bytes.count else { return false }
            let pointer = literal.utf8Start
            for offset in 0..<length where bytes[index + offset] != pointer[offset] { return false }
            return true
        }

        /// Moves past the terminator, failing when the input ends first.
        private mutating func skip(past terminator: StaticString) throws {
            let length = terminator.utf8CodeUnitCount
            while index + length <= bytes.count {
                if hasPrefix(terminator) { index += length; return }
                index += 1
            }
            throw fail("unterminated markup")
        }

        private mutating func markup<H: Handler>(_ handler: inout H) throws {
            if hasPrefix("<!--") { index += 4; try skip(past: "-->"); return }
            if hasPrefix("<?") { index += 2; try skip(past: "?>"); return }
            if hasPrefix("<![CDATA[") {
                guard !open.isEmpty else { throw fail("CDATA outside the root element") }
                index += 9
                let start = index
                try skip(past: "]]>")
                handler.text(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 3)]), as: UTF8.self))
                return
            }
            if hasPrefix("<!") {
                // A DOCTYPE, possibly with an internal subset in brackets.
                var depth = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "[") { depth += 1 }
                    if byte == UInt8(ascii: "]") { depth -= 1 }
                    if byte == UInt8(ascii: ">"), depth <= 0 { return }
                }
                throw fail("unterminated declaration")
            }
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
                index += 1
                let name = readName()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("bad end tag") }
                index += 1
                guard let expected = open.popLast(), expected.elementsEqual(name) else {
                    throw fail("end tag \(String(decoding: name, as: UTF8.self)) does not match")
                }
                handler.end(Self.local(name))
                return
            }
            guard !(open.isEmpty && sawRoot) else { throw fail("a second root element") }
            let name = readName()
            guard !name.isEmpty else { throw fail("empty element name") }
            var attributes: [Substring: String] = [:]
            while true {
                skipSpace()
                guard index < bytes.count else { throw fail("unterminated start tag") }
                if bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    sawRoot = true
                    guard open.count < maximumDepth else { throw TooDeep(depth: maximumDepth) }
                    open.append(name)
                    handler.start(Self.local(name), attributes: attributes)
                    return
                }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw fail("bad tag end") }
                    index += 2
                    sawRoot = true
                    let local = Self.local(name)
                    handler.start(local, attributes: attributes)
                    handler.end(local)
                    return
                }
                let attributeName = readName()
                guard !attributeName.isEmpty else { throw fail("bad attribute") }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("attribute without value") }
                index += 1
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
                else { throw fail("unquoted attribute value") }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote {
                    if bytes[index] == UInt8(ascii: "<") { throw fail("< in attribute value") }
                    index += 1
                }
                guard index < bytes.count else { throw fail("unterminated attribute value") }
                let value = try decode(start..<index)
                index += 1
                attributes[Self.local(attributeName, keepingXMLNS: true)] = value
            }
        }

        private mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        private mutating func readName() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<") { break }
                index += 1
            }
            return ArraySlice(bytes[start..<index])
        }

        /// The name after its prefix; namespace declarations keep their full name so they do not
        /// collide with ordinary attributes.
        static func local(_ name: ArraySlice<UInt8>, keepingXMLNS: Bool = false) -> Substring {
            let full = String(decoding: name, as: UTF8.self)
            if keepingXMLNS, full.hasPrefix("xmlns") { return Substring(full) }
            guard let colon = full.lastIndex(of: ":") else { return Substring(full) }
            return full[full.index(after: colon)...]
        }

        /// Text with entity and character references resolved.
        private func decode(_ range: Range<Int>) throws -> String {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(slice.count)
            var position = 0
            while position < slice.count {
                let byte = slice[position]
                guard byte == UInt8(ascii: "&") else { out.append(byte); position += 1; continue }
                guard let semicolon = slice[position...].firstIndex(of: UInt8(ascii: ";")), semicolon - position <= 12
                else { throw Failure(offset: range.lowerBound + position, reason: "unterminated entity") }
                let entity = String(decoding: UnsafeBufferPointer(rebasing: slice[(position + 1)..<semicolon]), as: UTF8.self)
                switch entity {
                case "amp": out.append(UInt8(ascii: "&"))
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                default:
                    let scalar: Unicode.Scalar?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if entity.hasPrefix("#") {
                        scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                    } else {
                        scalar = nil
                    }
                    guard let scalar else {
                        throw Failure(offset: range.lowerBound + position, reason: "unknown entity &\(entity);")
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
                position = semicolon + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension XMLScanner.Handler {
    var stopped: Bool { false }
}
