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
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in raw.precomposedStringWithCanonicalMapping.unicodeScalars {
            // Control characters vanish (Word's vertical tab inside "快递\v党委" must not leave a gap);
            // tabs, line breaks and every kind of space fold into one space.
            if isInvisible(scalar) || (isControl(scalar) && !"\t\n\r".unicodeScalars.contains(scalar)) { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return String(out)
    }

    /// Multi-line text: like `line` within each line, but line breaks kept (CRLF and CR become LF,
    /// more than one empty line in a row collapses to one), leading and trailing empty lines dropped.
    public static func block(_ raw: String) -> String {
        let unified = raw.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\u{2028}", with: "\n")
            .replacingOccurrences(of: "\u{2029}", with: "\n")
        var lines: [String] = []
        for rawLine in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            let cleaned = line(String(rawLine))
            if cleaned.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(cleaned)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Length as a person counts it: one per user-perceived character, so 𠮷 and 👍🏽 count once.
    public static func length(_ text: String) -> Int { text.count }

    /// Converts full-width ASCII forms (０-９, Ａ-Ｚ, ｘ, －) to their half-width equivalents.
    public static func halfWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            if (0xFF01...0xFF5E).contains(scalar.value), let narrow = Unicode.Scalar(scalar.value - 0xFEE0) {
                return narrow
            }
            if scalar.value == 0x3000 { return " " }
            return scalar
        }))
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
