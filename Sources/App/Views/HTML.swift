/// Markup written by Swift views. In a literal, interpolated text is escaped as Leaf's `#()` escapes it, and
/// only another `HTML` value goes in as markup, so a view cannot forget to escape:
///
///     let cell: HTML = "<td><a href=\"/nominations/\(row.id)\">\(row.name)</a></td>"
///
/// A page in a template costs about ten times what the same page written here costs (`bench/templates`), so the
/// pages read most often, and the layout every page shares, are written here.
struct HTML: ExpressibleByStringInterpolation, Sendable {
    private(set) var markup: String

    init(stringLiteral literal: String) { markup = literal }
    /// Markup another writer of Honors made with its own escaping (`BarChart`'s SVG), taken as it is.
    init(escapedElsewhere markup: String) { self.markup = markup }
    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }
    init() { markup = "" }

    static func + (lhs: HTML, rhs: HTML) -> HTML { var joined = lhs; joined.markup += rhs.markup; return joined }
    static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    /// A field's message, right after the field as every form shows it; nothing without one.
    static func fieldError(_ message: String?) -> HTML {
        message.map { "<p class=\"field-error\">\($0)</p>" } ?? HTML()
    }

    /// `content` when `condition` holds, else nothing.
    static func when(_ condition: Bool, _ content: @autoclosure () -> HTML) -> HTML { condition ? content() : HTML() }

    struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""
        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { markup += literal }
        mutating func appendInterpolation(_ text: String) { HTML.escape(text, into: &markup) }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
    }

    /// `&`, `<`, `>`, `"` and `'` as entities, as Leaf writes them; text without them is copied whole.
    static func escape(_ text: String, into markup: inout String) {
        guard needsEscape(text) else {
            markup += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": markup += "&amp;"
            case "\"": markup += "&quot;"
            case "'": markup += "&#39;"
            case "<": markup += "&lt;"
            case ">": markup += "&gt;"
            default: markup.unicodeScalars.append(scalar)
            }
        }
    }

    /// Whether `text` holds any of the five, read from its UTF-8 bytes in place (native strings, which all text
    /// from the database is); a page escapes every cell, and `String.UTF8View`'s iterator cost more than the scan.
    private static func needsEscape(_ text: String) -> Bool {
        func special(_ byte: UInt8) -> Bool { byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 }
        return text.utf8.withContiguousStorageIfAvailable { bytes in bytes.contains(where: special) }
            ?? text.utf8.contains(where: special)
    }
}

extension Sequence {
    /// Each element's markup, one after another.
    func html(_ element: (Element) throws -> HTML) rethrows -> HTML {
        var joined = HTML()
        for item in self { joined += try element(item) }
        return joined
    }
}
