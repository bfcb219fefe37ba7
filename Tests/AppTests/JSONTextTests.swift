@testable import App
import Foundation
import Testing

/// The hand-written JSON is what `JSONEncoder` writes, byte for byte, for anything a form can hold.
@Suite("JSON written by hand")
struct JSONTextTests {
    static let samples: [String] = {
        var texts = ["", "张伟", "a/b\\c\"d", "𠮷𬌗👍🏽", "line\nbreak\ttab\r\u{8}\u{C}", "é", "https://x.y/z?a=1&b=<2>"]
        texts += (0..<0x20).map { "x\(Character(Unicode.Scalar($0)!))y" } + ["\u{7F}\u{85}\u{2028}\u{2029}\u{FEFF}"]
        var random = SystemRandomNumberGenerator()
        let pool = Array("abc 王李张/\\\"\n\t\u{1}\u{1F}𠮷é，。") + [Character("\u{0}")]
        for _ in 0..<300 { texts.append(String((0..<Int.random(in: 0...20, using: &random)).map { _ in pool.randomElement(using: &random)! })) }
        return texts
    }()

    @Test("an object of strings with sorted keys")
    func object() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (index, text) in Self.samples.enumerated() {
            let map = ["name": text, "deeds": String(text.reversed()), "a_\(index)": text, "Z": "", "phone_2": "1"]
            #expect(JSONText.object(map) == String(decoding: try encoder.encode(map), as: UTF8.self), "\(map)")
        }
        #expect(JSONText.object([:]) == "{}")
        #expect(Nomination.values(from: JSONText.object(["x": "a/\"b\""])) == ["x": "a/\"b\""])
    }

    @Test("the changes of an audit event read back as they were, their keys always in one order")
    func changes() throws {
        for text in Self.samples {
            let changes = [FieldChange("name", old: nil, new: text), FieldChange("deeds", old: text, new: nil),
                           FieldChange(text, old: "1", new: "2"), FieldChange("id_number", old: "1", new: text, sensitive: true)]
            let json = FieldChange.json(changes)
            #expect(try JSONDecoder().decode([FieldChange].self, from: Data(json.utf8)) == changes)
            #expect(json.hasPrefix("[{\"field\":\"name\",\"new\":") && json.contains("\"old\":\"1\",\"new\":\"2\"}"))
        }
        #expect(FieldChange.json([]) == "[]")
    }
}
