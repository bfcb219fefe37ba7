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
    }
}
