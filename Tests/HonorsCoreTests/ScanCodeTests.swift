import HonorsCore
import Testing

@Suite("The form's QR code")
struct ScanCodeTests {
    @Test("the text is read back as written; anything else is not one of ours")
    func roundTrip() {
        let code = ScanCode(nominationID: 42, version: 7, fingerprint: "0123456789abcdef")
        #expect(code.text == "HONORS1:42:7:0123456789abcdef")
        #expect(ScanCode(text: code.text) == code)
        #expect(ScanCode(text: " HONORS1:42:7:0123456789abcdef\n") == code, "as a reader hands it over")
        for other in ["", "HONORS1:42:7:0123456789abcde", "HONORS1:42:7:0123456789ABCDEF", "HONORS2:42:7:0123456789abcdef",
                      "HONORS1:0:7:0123456789abcdef", "HONORS1:-1:7:0123456789abcdef", "HONORS1:42:x:0123456789abcdef",
                      "HONORS1:42:7:0123456789abcdefg", "HONORS1:42:7", "https://example.com/HONORS1:42:7:0123456789abcdef"] {
            #expect(ScanCode(text: other) == nil, "\(other)")
        }
    }

    @Test("a scan is current while it was signed on the fingerprint of the data as it is now")
    func state() {
        #expect(ScanState(scanFingerprint: nil, dataFingerprint: "a") == .none)
        #expect(ScanState(scanFingerprint: "a", dataFingerprint: "a") == .current)
        #expect(ScanState(scanFingerprint: "a", dataFingerprint: "b") == .stale)
    }

    @Test("the fingerprint's text covers every printed field and the photo, and nothing the alliance adds")
    func canonicalText() {
        let values = ["name": "张伟", "committee_opinion": "同意推荐。"]
        let text = FormFingerprint.canonicalText(category: .member, values: values, photo: "p.png", salt: nil)
        #expect(text.hasPrefix("category=member\nrecommending_branch=\nname=张伟\n"))
        #expect(text.contains("committee_opinion=同意推荐。\n"))
        #expect(text.hasSuffix("photo=p.png"))
        let withAlliance = values.merging(["alliance_opinion": "同意表彰。"]) { $1 }
        #expect(FormFingerprint.canonicalText(category: .member, values: withAlliance, photo: "p.png", salt: nil) == text)
        #expect(FormFingerprint.canonicalText(category: .member, values: values, photo: "q.png", salt: nil) != text)
        // Version 2: the nomination's salt first, so the text cannot be rebuilt from what a page shows.
        let salted = FormFingerprint.canonicalText(category: .member, values: values, photo: "p.png", salt: "00ff")
        #expect(salted == "salt=00ff\n" + text)
    }
}
