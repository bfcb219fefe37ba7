import Foundation
import Testing
@testable import HonorsOffice

@Suite("PDF conversion")
struct PDFConverterTests {
    static let converter = PDFConverter(timeout: 180)

    /// Text of a PDF through poppler's pdftotext, nil when it is not installed.
    static func pdfText(_ pdf: Data) throws -> String? {
        let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pdftext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.pdf")
        let output = folder.appendingPathComponent("out.txt")
        try pdf.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", input.path, output.path]
        try process.run()
        process.waitUntilExit()
        return try String(contentsOf: output, encoding: .utf8)
    }

    @Test("the fontconfig file includes the system configuration and maps the official fonts")
    func fontconfig() throws {
        let xml = FontconfigAliases.configurationXML
        #expect(xml.contains("<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"))
        for family in ["宋体", "SimSun", "仿宋", "仿宋_GB2312", "FangSong", "方正小标宋简体", "黑体", "SimHei", "楷体"] {
            #expect(xml.contains("<string>\(family)</string>"), "\(family) not aliased")
        }
        #expect(xml.contains("Noto Serif CJK SC") && xml.contains("Noto Sans CJK SC") && xml.contains("zh-cn"))
        _ = try XMLNode.parse(Data(xml.utf8), part: "fonts.conf")
    }

    @Test("a missing executable is reported, not hidden")
    func unavailable() async {
        let converter = PDFConverter(executable: nil)
        #expect(!converter.available)
        await #expect(throws: OfficeError.converterUnavailable) {
            _ = try await converter.convert(Data(), fileExtension: "docx")
        }
        #expect(PDFConverter.findExecutable(environment: ["PATH": "/nonexistent"]) == nil)
    }

    @Test("the form converts to a PDF showing its Chinese labels and data",
          .enabled(if: PDFConverterTests.converter.available))
    func docxToPDF() async throws {
        let pdf = try await Self.converter.convert(try SampleForm.document().docxData(), fileExtension: "docx")
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        let text = try #require(try Self.pdfText(pdf))
        let compact = text.filter { !$0.isWhitespace }
        for expected in [SampleForm.title, "姓名", "身份证号", SampleForm.idNumber, "13800138000", "行业党委书记签字",
                         "张", "主要事迹"] {
            #expect(compact.contains(expected), "PDF lacks \(expected)")
        }
    }

    @Test("a workbook converts to PDF where Calc is installed",
          .enabled(if: PDFConverterTests.converter.supportsSpreadsheets))
    func xlsxToPDF() async throws {
        let pdf = try await Self.converter.convert(try XlsxTests.workbook().xlsxData(), fileExtension: "xlsx")
        let text = try #require(try Self.pdfText(pdf))
        #expect(text.contains(XlsxTests.longIDNumber))
        #expect(text.contains("身份证号"))
    }

    @Test("a conversion over its time limit is killed and reported",
          .enabled(if: PDFConverterTests.converter.available))
    func timeout() async throws {
        let hasty = PDFConverter(executable: Self.converter.executable, timeout: 0.2)
        await #expect(throws: OfficeError.conversionTimedOut(seconds: 0.2)) {
            _ = try await hasty.convert(try SampleForm.document().docxData(), fileExtension: "docx")
        }
    }

    @Test("a file LibreOffice cannot read yields an error, not an empty PDF",
          .enabled(if: PDFConverterTests.converter.available))
    func garbageInput() async {
        await #expect(throws: OfficeError.self) {
            _ = try await Self.converter.convert(Data([0, 1, 2, 3]), fileExtension: "docx")
        }
    }
}
