import Foundation

/// Cleans what people paste into forms and spreadsheets before any rule looks at it.
///
/// Text copied from Word or chat apps carries control characters, zero-width marks and odd line breaks.
/// They are invisible on screen, break XML (OOXML exports) and make equal names compare unequal, so they
/// are removed once, here, for every input path (forms, import, commands).
public enum TextInput {
    /// Single-line text: control characters, zero-width and bidi marks removed, every run of whitespace
    /// (including full-width spaces) folded to one space, ends trimmed, composed to NFC.
    public static func line(_ raw: String) -> String {
        let text = composed(raw)
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            // Control characters vanish (Word's vertical tab inside "快递\v党委" must not leave a gap);
            // tabs, line breaks and every kind of space fold into one space.
            if isInvisible(scalar) || (isControl(scalar) && !"\t\n\r".unicodeScalars.contains(scalar)) { continue }
            if isWhitespace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return String(out)
    }

    /// Already what `line` makes of it: nothing invisible or control, no space but single ASCII spaces between
    /// words. Most of what forms send is, and is then kept as it came instead of rebuilt scalar by scalar.
    static func isClean(_ text: String) -> Bool {
        var previousSpace = true  // a leading space is not clean
        for scalar in text.unicodeScalars {
            if scalar == " " {
                if previousSpace { return false }
                previousSpace = true
                continue
            }
            if isWhitespace(scalar) || isInvisible(scalar) || isControl(scalar) { return false }
            previousSpace = false
        }
        return !previousSpace || text.isEmpty
    }

    /// Multi-line text: like `line` within each line, but line breaks kept (CRLF and CR become LF,
    /// more than one empty line in a row collapses to one), leading and trailing empty lines dropped.
    public static func block(_ raw: String) -> String {
        var lines: [String] = []
        for rawLine in Self.lines(raw) {
            let cleaned = line(rawLine)
            if cleaned.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(cleaned)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The lines of a text as people end them: LF, CRLF, CR, and Word's line and paragraph separators.
    static func lines(_ raw: String) -> [String] {
        var lines: [String] = []
        let utf8 = raw.utf8
        var start = utf8.startIndex, index = start
        func cut(_ end: String.UTF8View.Index, skipping bytes: Int) {
            lines.append(String(Substring(utf8[start..<end])))
            index = utf8.index(end, offsetBy: bytes)
            start = index
        }
        while index != utf8.endIndex {
            switch utf8[index] {
            case 0x0D:
                let next = utf8.index(after: index)
                cut(index, skipping: next != utf8.endIndex && utf8[next] == 0x0A ? 2 : 1)
            case 0x0A:
                cut(index, skipping: 1)
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                let second = utf8.index(after: index)
                if second != utf8.endIndex, utf8[second] == 0x80 {
                    let third = utf8.index(after: second)
                    if third != utf8.endIndex, utf8[third] == 0xA8 || utf8[third] == 0xA9 {
                        cut(index, skipping: 3)
                        continue
                    }
                }
                index = utf8.index(after: index)
            default:
                index = utf8.index(after: index)
            }
        }
        lines.append(String(Substring(utf8[start..<utf8.endIndex])))
        return lines
    }

    /// `text` composed to NFC. Text of scalars NFC leaves as they are (ASCII and Latin-1, CJK ideographs
    /// outside the compatibility blocks, CJK and full-width punctuation: nearly every form) is returned
    /// without Foundation's normalisation, which costs more than everything else a form's check does.
    static func composed(_ text: String) -> String {
        for scalar in text.unicodeScalars where !isComposed(scalar) { return text.precomposedStringWithCanonicalMapping }
        return text
    }

    /// Scalars with NFC_Quick_Check = Yes that never combine with a neighbour, in the ranges forms use.
    static func isComposed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x2FF,                   // ASCII, Latin-1 and Latin Extended: precomposed already
             0x2002...0x206F,                // general punctuation (— and … among it; 2000 and 2001 decompose)
             0x3000...0x3098, 0x309D...0x30FF, // CJK symbols, kana (not the combining marks 3099, 309A)
             0x3400...0x4DBF, 0x4E00...0x9FFF, // CJK ideographs, extension A
             0xFF00...0xFFEF,                // full-width forms
             0x20000...0x2A6DF, 0x2A700...0x2EBEF, 0x30000...0x323AF: // extensions B–H (𠮷, 𬌗)
            return true
        default:
            return false
        }
    }

    /// Length as a person counts it: one per user-perceived character, so 𠮷 and 👍🏽 count once.
    public static func length(_ text: String) -> Int { text.count }

    /// Converts full-width ASCII forms (０-９, Ａ-Ｚ, ｘ, －) to their half-width equivalents.
    public static func halfWidth(_ text: String) -> String {
        // Most text has nothing to narrow (every stored date the desk reads per row): kept as it is, not rebuilt.
        guard text.unicodeScalars.contains(where: { narrowed($0) != nil }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { narrowed($0) ?? $0 }))
    }

    /// The half-width form of a full-width ASCII form or the ideographic space; nil for every other scalar.
    private static func narrowed(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if (0xFF01...0xFF5E).contains(scalar.value) { return Unicode.Scalar(scalar.value - 0xFEE0) }
        return scalar.value == 0x3000 ? " " : nil
    }

    /// Unicode's White_Space property, a fixed list: asking the scalar's properties costs a table lookup for
    /// every character of every form.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// Zero-width and directional formatting marks, the BOM, and the non-characters XML forbids.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069,
             0xFFFE, 0xFFFF, 0xFFF9...0xFFFB:
            return true
        default:
            return false
        }
    }
}
