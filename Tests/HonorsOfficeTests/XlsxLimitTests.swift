import Foundation
@testable import HonorsOffice
import Testing

/// `XlsxLimits`: each limit refuses a workbook at the first thing over it, naming the limit (and the sheet),
/// and a workbook just inside every limit still reads.
@Suite("Excel reading limits")
struct XlsxLimitTests {
    static let limits = XlsxLimits(depth: 16, sheets: 3, cells: 1_000, cellLength: 100, sharedStrings: 1_000, rows: 10)

    static func cell(_ text: String) -> String { #"<c t="inlineStr"><is><t>\#(text)</t></is></c>"# }

    static func rows(_ count: Int, from first: Int = 1) -> String {
        (first..<(first + count)).map { "<row r=\"\($0)\">" + cell("第\($0)行") + "</row>" }.joined()
    }

    static func refusal(_ data: Data) -> OfficeError? {
        do {
            _ = try XlsxReader.read(data, limits: limits)
            return nil
        } catch {
            return error as? OfficeError
        }
    }

    @Test("inside every limit the workbook reads")
    func inside() throws {
        let data = try XlsxTests.crafted(Self.rows(10) + #"<row r="11"/><row r="12"><c r="A12"/></row>"#)
        let book = try XlsxReader.read(data, limits: Self.limits)
        #expect(book.sheets.first?.rows.count == 10, "empty rows past the limit are no content")
    }

    @Test("the first row with content past the limit stops the reading: what follows is never read")
    func rowsStop() throws {
        // Malformed XML after the row over the limit: reading stopped before it, so the answer is the limit.
        let data = try XlsxTests.crafted(Self.rows(11) + "<row><c><broken")
        #expect(Self.refusal(data) == .overLimit(.rows, limit: 10, sheet: "S"))
        #expect(Self.refusal(try XlsxTests.crafted(Self.rows(10) + "<row><c><broken")).map { "\($0)" }?.contains("malformed") == true,
                "the same garbage inside the limit is read, and found malformed")
    }

    @Test("nesting deeper than the limit is refused in the sheet and in the workbook part")
    func depth() throws {
        let deep = String(repeating: "<x>", count: 20) + String(repeating: "</x>", count: 20)
        #expect(Self.refusal(try XlsxTests.crafted(#"<row r="1">\#(Self.cell("a"))</row>"# + "<row r=\"2\"><c>" + deep + "</c></row>"))
                == .overLimit(.depth, limit: 16, sheet: nil))
        var package = try ZipPackage.read(try XlsxWorkbook(sheets: [XlsxSheet(name: "S")]).xlsxData())
        let workbook = String(decoding: try #require(package["xl/workbook.xml"]), as: UTF8.self)
        package.add("xl/workbook.xml", Data(workbook.replacingOccurrences(of: "</workbook>", with: deep + "</workbook>").utf8))
        #expect(Self.refusal(try package.archived()) == .overLimit(.depth, limit: 16, sheet: nil))
    }

    @Test("more sheets than the limit are refused before any is read")
    func sheets() throws {
        let book = XlsxWorkbook(sheets: (1...4).map { XlsxSheet(name: "S\($0)") })
        #expect(Self.refusal(try book.xlsxData()) == .overLimit(.sheets, limit: 3, sheet: nil))
    }

    @Test("cells count over the whole workbook, gaps included")
    func cells() throws {
        // 600 cells on each of two sheets: each sheet alone is inside, together they are not.
        let wide = (1...6).map { row in
            #"<row r="\#(row)"><c r="CV\#(row)" t="inlineStr"><is><t>x</t></is></c></row>"#
        }.joined()
        var package = try ZipPackage.read(try XlsxWorkbook(sheets: [XlsxSheet(name: "A"), XlsxSheet(name: "B")]).xlsxData())
        for part in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            package.add(part, Data((#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                + wide + "</sheetData></worksheet>").utf8))
        }
        #expect(Self.refusal(try package.archived()) == .overLimit(.cells, limit: 1_000, sheet: "B"))
    }

    @Test("a cell longer than the limit is refused, inline or shared; so are shared strings over their total")
    func lengths() throws {
        let long = String(repeating: "字", count: 101)
        #expect(Self.refusal(try XlsxTests.crafted(#"<row r="1">\#(Self.cell(long))</row>"#)) == .overLimit(.cellLength, limit: 100, sheet: "S"))

        func shared(_ strings: [String]) throws -> Data {
            var package = try ZipPackage.read(try XlsxTests.crafted(#"<row r="1"><c t="s"><v>0</v></c></row>"#))
            let sst = strings.map { "<si><t>\($0)</t></si>" }.joined()
            package.add("xl/sharedStrings.xml", Data(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#(sst)</sst>"#.utf8))
            let rels = String(decoding: try #require(package["xl/_rels/workbook.xml.rels"]), as: UTF8.self)
            package.add("xl/_rels/workbook.xml.rels", Data(rels.replacingOccurrences(of: "</Relationships>", with:
                #"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#).utf8))
            return try package.archived()
        }
        #expect(try XlsxReader.read(try shared(["共享"]), limits: Self.limits).sheets.first?.rows == [["共享"]])
        #expect(Self.refusal(try shared([long])) == .overLimit(.cellLength, limit: 100, sheet: nil))
        #expect(Self.refusal(try shared(Array(repeating: String(repeating: "a", count: 90), count: 12)))
                == .overLimit(.sharedStrings, limit: 1_000, sheet: nil))
    }
}

/// Hostile ZIP containers: the reader answers with an error, never by crashing the process.
@Suite("Hostile ZIP files")
struct HostileZipTests {
    /// A valid package whose end-of-central-directory record says the directory starts at `offset`.
    static func pointing(to offset: UInt32) throws -> Data {
        var bytes = [UInt8](try XlsxWorkbook(sheets: [XlsxSheet(name: "S")]).xlsxData())
        let end = bytes.count - 22
        #expect(bytes[end..<end + 4] == [0x50, 0x4B, 0x05, 0x06])
        for index in 0..<4 { bytes[end + 16 + index] = UInt8(truncatingIfNeeded: offset >> (8 * UInt32(index))) }
        return Data(bytes)
    }

    @Test("a central directory past the end of the file, or inside its own record, is an error", arguments: [
        UInt32.max, 1 << 20, 10_000,
    ])
    func directoryOutside(_ offset: UInt32) throws {
        #expect(throws: OfficeError.self) { _ = try XlsxReader.read(try Self.pointing(to: offset)) }
    }

    @Test("a truncated package at every length is an error, never a crash")
    func truncated() throws {
        let whole = try XlsxWorkbook(sheets: [XlsxSheet(name: "S")]).xlsxData()
        for length in stride(from: 0, to: whole.count, by: 7) {
            #expect(throws: (any Error).self) { _ = try XlsxReader.read(whole.prefix(length)) }
        }
    }
}
