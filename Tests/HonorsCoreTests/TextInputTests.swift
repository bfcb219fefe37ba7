import Foundation
import Testing
@testable import HonorsCore

@Suite("Cleaning typed and pasted text")
struct TextInputTests {
    @Test("control characters vanish, spaces fold, ends are trimmed")
    func line() {
        #expect(TextInput.line("  快递\u{0B}党委\u{0}经办人\u{7} ") == "快递党委经办人")
        #expect(TextInput.line("张\u{3000}\u{3000}三\t李\n四") == "张 三 李 四")
        #expect(TextInput.line("\u{FEFF}王\u{200B}五\u{202E}") == "王五")
    }

    @Test("rare characters, minority names and emoji are kept whole")
    func rareCharacters() {
        for text in ["𠮷野家", "𬌗", "阿卜杜热合曼·买买提", "👨‍👩‍👧", "👍🏽"] {
            #expect(TextInput.line(text) == text)
        }
        #expect(TextInput.length("𠮷𬌗") == 2)
        #expect(TextInput.length("👨‍👩‍👧") == 1)
    }

    @Test("decomposed input is composed, so equal names compare equal")
    func normalisation() {
        #expect(TextInput.line("e\u{301}") == "\u{E9}")
    }

    @Test("blocks keep line breaks but not runs of empty lines")
    func block() {
        #expect(TextInput.block("第一行\r\n\r\n\r\n第二行\r第三行\n\n") == "第一行\n\n第二行\n第三行")
    }

    @Test("full-width digits and letters become half-width")
    func halfWidth() {
        #expect(TextInput.halfWidth("１２３ｘＡ－") == "123xA-")
        #expect(TextInput.halfWidth("2024-05-23") == "2024-05-23")
        #expect(TextInput.halfWidth("王\u{3000}小明２０２４") == "王 小明2024")
        #expect(TextInput.halfWidth("𠮷𬌗👍🏽ｅ\u{301}") == "𠮷𬌗👍🏽e\u{301}")
        // Every scalar: narrowed exactly in U+FF01…U+FF5E and U+3000, kept elsewhere, alone or beside others.
        for value in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let want = (0xFF01...0xFF5E).contains(value) ? Unicode.Scalar(value - 0xFEE0)! : value == 0x3000 ? " " : scalar
            #expect(TextInput.halfWidth("a\(scalar)").unicodeScalars.map(\.value) == [0x61, want.value], "U+\(String(value, radix: 16))")
        }
    }

    @Test("the fixed whitespace list is Unicode's White_Space, scalar for scalar")
    func whitespaceList() {
        for value in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(TextInput.isWhitespace(scalar) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
        }
    }

    @Test("text left uncomposed is text NFC leaves alone; anything else is composed")
    func composition() {
        var unchanged = 0
        for value in 0...0x323AF {
            guard let scalar = Unicode.Scalar(value), TextInput.isComposed(scalar) else { continue }
            let text = "a" + String(scalar) + "丁"
            if text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars) { unchanged += 1 }
            else { Issue.record("U+\(String(value, radix: 16)) changes under NFC") }
        }
        #expect(unchanged > 90_000, "the CJK blocks among them")
        #expect(Array(TextInput.line("e\u{301}").unicodeScalars) == ["\u{E9}"], "a combining accent is composed")
        #expect(Array(TextInput.line("\u{F900}").unicodeScalars) == ["\u{8C48}"], "a compatibility ideograph becomes the unified one")
        #expect(TextInput.block("一\r\n二\r三\u{2028}四\n\n\n五") == "一\n二\n三\n四\n\n五")
    }

    @Test("clean text comes back as it was; anything else is cleaned once and then stays")
    func cleanKept() {
        for text in ["张伟", "a b c", "2010.07—今 顺丰速运 站长", "", "𠮷𬌗"] {
            #expect(TextInput.isClean(text) && TextInput.line(text) == text)
        }
        for text in [" a", "a ", "a  b", "a\tb", "a\u{3000}b", "a\u{200B}b", "a\u{7}b", "\u{A0}"] {
            #expect(!TextInput.isClean(text))
            let once = TextInput.line(text)
            #expect(TextInput.isClean(once) && TextInput.line(once) == once, "\(once)")
        }
    }
}
