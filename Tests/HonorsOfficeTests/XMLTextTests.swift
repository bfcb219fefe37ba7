import Foundation
import Testing
@testable import HonorsOffice

@Suite("XML text safety")
struct XMLTextTests {
    @Test("markup characters are escaped")
    func escapesMarkup() {
        #expect(XMLText.escaped(#"a & b < c > d " e ' f"#) == "a &amp; b &lt; c &gt; d &quot; e &apos; f")
    }

    @Test("characters XML 1.0 forbids are dropped, tab and newlines kept")
    func dropsIllegalCharacters() {
        let input = "A\u{0}B\u{8}C\u{B}D\u{C}E\u{E}F\u{1F}G\u{FFFE}H\u{FFFF}I\tJ\nK\rL"
        #expect(XMLText.escaped(input) == "ABCDEFGHI\tJ\nK\rL")
        #expect(XMLText.sanitized(input) == "ABCDEFGHI\tJ\nK\rL")
    }

    @Test("rare CJK, emoji and neighbours of U+FFFE survive")
    func keepsRareCharacters() {
        let input = "𠮷野家 𬌗 👍🏽 \u{FFFD} \u{FFEF} 囍"
        #expect(XMLText.escaped(input) == input)
        #expect(XMLText.sanitized(input) == input)
    }

    @Test("outer white space needs xml:space=preserve")
    func preserve() {
        #expect(XMLText.needsPreserve(" a"))
        #expect(XMLText.needsPreserve("a "))
        #expect(XMLText.needsPreserve("\u{3000}全角"))
        #expect(!XMLText.needsPreserve("a b"))
        #expect(!XMLText.needsPreserve(""))
    }

    @Test("integers are written as decimal digits")
    func integers() {
        var buffer = XMLBuffer(capacity: 16)
        let start = buffer.bytes.count
        for value in [0, 7, 10, 123_456_789, -42, Int.max] {
            buffer.integer(value)
            buffer.raw(",")
        }
        #expect(String(decoding: buffer.bytes[start...], as: UTF8.self) == "0,7,10,123456789,-42,\(Int.max),")
    }
}

@Suite("XML scanner")
struct XMLScannerTests {
    @Test("entities, CDATA, prefixes and comments are handled")
    func parses() throws {
        let xml = #"<?xml version="1.0"?><!-- note --><x:a xmlns:x="urn:x" x:k="1 &amp; 2"><x:b>&lt;&#x4E2D;&#25991;&gt;</x:b><![CDATA[<raw>]]><c/></x:a>"#
        let root = try XMLNode.parse(Data(xml.utf8), part: "t")
        #expect(root.name == "a")
        #expect(root.attribute("k") == "1 & 2")
        #expect(root.child("b")?.text == "<中文>")
        #expect(root.text == "<raw>")
        #expect(root.child("c") != nil)
    }

    @Test("malformed input is rejected")
    func rejects() {
        for bad in ["<a><b></a></b>", "<a>", "<a>&bogus;</a>", "<a x=1/>", "<a/><b/>", "text", ""] {
            #expect(throws: OfficeError.self, "\(bad)") { try XMLNode.parse(Data(bad.utf8), part: "t") }
        }
    }
}
