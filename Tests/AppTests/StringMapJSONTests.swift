@testable import App
import Foundation
import Testing

@Suite("Reading the data column")
struct StringMapJSONTests {
    @Test("what JSONEncoder wrote reads back the same, whatever the text: quotes, slashes, control characters, 𠮷, emoji")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("党建𠮷𬌗😀👍🏽 a\"\\/\n\r\t\u{01}\u{1F}\u{7F}\u{2028}\u{FEFF}·—“”é")
        for _ in 0..<500 {
            var values: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                let key = String((0..<Int.random(in: 0...5, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                values[key] = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            }
            let column = Nomination.encoded(values)
            #expect(StringMapJSON.decode(column) == values, "\(column)")
        }
    }

    @Test("escapes other writers use are read like JSONDecoder reads them")
    func escapes() throws {
        let json = #"{ "a" : "\u5409\ud842\udfb7\u00e9\b\f\/" , "b":"" }"#
        let expected = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        #expect(StringMapJSON.decode(json) == expected)
        #expect(expected["a"] == "吉𠮷é\u{08}\u{0C}/")
        #expect(StringMapJSON.decode("{}") == [:])
    }

    @Test("anything but an object of strings is left to JSONDecoder", arguments: [
        #"{"a":1}"#, #"{"a":{"b":"c"}}"#, #"{"a":"b""#, #"{"a":"b"} x"#, #"["a"]"#, #"{"a":"\ud842"}"#,
        #"{"a":"\q"}"#, "{\"a\":\"\u{01}\"}", #"{"a":"b",}"#, "",
    ])
    func refused(_ json: String) {
        #expect(StringMapJSON.decode(json) == nil)
    }

    @Test("the audit trail's changes read back as JSONDecoder reads them, whatever the text and wherever a value is missing")
    func changes() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("党建𠮷𬌗😀👍🏽 a\"\\/\n\r\t\u{01}\u{1F}\u{7F}\u{2028}\u{FEFF}·—“”é")
        func text() -> String {
            String((0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for _ in 0..<300 {
            let changes = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                FieldChange(text(), old: Bool.random(using: &generator) ? text() : nil, new: Bool.random(using: &generator) ? text() : nil)
            }
            let column = FieldChange.json(changes)
            #expect(StringMapJSON.decodeObjectMembers(column) != nil, "read directly, not by the fallback: \(column)")
            #expect(FieldChange.decoded(column) == changes, "\(column)")
            #expect(FieldChange.decoded(column) == (try JSONDecoder().decode([FieldChange].self, from: Data(column.utf8))))
        }
        // Written by another writer: keys in another order, spaces, escapes, a value left out.
        let other = #"[ {"new" : "\u5409", "field":"state"} , {"field":"a","old":null,"new":"b"} ]"#
        #expect(FieldChange.decoded(other) == [FieldChange("state", old: nil, new: "吉"), FieldChange("a", old: nil, new: "b")])
        // Not changes: no field, a number, not an array, not JSON. None reads as a change.
        for json in [#"[{"old":"a"}]"#, #"[{"field":"a","old":1}]"#, #"{"field":"a"}"#, "nul", "", #"[{"field":"a"}"#] {
            #expect(FieldChange.decoded(json) == [], "\(json)")
        }
        #expect(FieldChange.decoded("[]") == [])
        // A key given twice is left to JSONDecoder, which keeps one of them: both readers show the same change.
        let twice = #"[{"field":"state","new":"approved","new":"rejected"}]"#
        #expect(StringMapJSON.decodeObjectMembers(twice)?.first?.map(\.key) == ["field", "new", "new"])
        #expect(StringMapJSON.decode(#"{"a":"1","a":"2"}"#) == nil)
        #expect(FieldChange.decoded(twice) == (try JSONDecoder().decode([FieldChange].self, from: Data(twice.utf8))))
        #expect(Nomination.values(from: #"{"a":"1","a":"2"}"#) == (try JSONDecoder().decode([String: String].self, from: Data(#"{"a":"1","a":"2"}"#.utf8))))
    }

    @Test("the attestations column gives the ticked keys, written by the model as they are stored")
    func attestations() {
        let nomination = Nomination()
        nomination.attestationRecords = ["dues_paid_3y": .init(by: "kuaidi", at: Date()), "vanguard_3y": .init(by: "王\"𠮷", at: Date())]
        #expect(StringMapJSON.decodeNested(nomination.attestations)?["vanguard_3y"]?["by"] == "王\"𠮷")
        #expect(Nomination.attestedKeys(from: nomination.attestations) == ["dues_paid_3y", "vanguard_3y"])
        #expect(Nomination.attestedKeys(from: "{}").isEmpty && Nomination.attestedKeys(from: "").isEmpty)
        #expect(StringMapJSON.decodeNested(#"{"a":"b"}"#) == nil)
    }

    @Test("a column that is not an object of strings reads as no values, as before")
    func fallback() {
        #expect(Nomination.values(from: #"{"a":"b"}"#) == ["a": "b"])
        #expect(Nomination.values(from: "not json").isEmpty)
    }
}
