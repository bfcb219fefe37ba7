@testable import App
import Testing

/// The query string read once per request: what a form's GET sends comes back as typed.
@Suite("Query values")
struct QueryValuesTests {
    @Test("percent-encoded and + as space decode as typed; the last of a repeated key counts; a bare key and a broken escape are absent")
    func decoding() {
        let values = QueryValues("q=%E7%8E%8B+%F0%A0%AE%B7&page=2&page=9&actor=a%2Bb&empty=&broken=%E7%8E&flag&ids%5B%5D=3")
        #expect(values["q"] == "王 𠮷")
        #expect(values["page"] == "9")
        #expect(values["actor"] == "a+b")
        #expect(values["empty"] == "")
        #expect(values["flag"] == nil)
        #expect(values["broken"] == nil)
        #expect(values["ids[]"] == "3")
        #expect(values["missing"] == nil)
        #expect(QueryValues(nil)["q"] == nil)
    }
}
