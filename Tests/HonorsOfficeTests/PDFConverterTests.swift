import Foundation
import Testing
@testable import HonorsOffice

@Suite("PDF conversion")
struct PDFConverterTests {
    static let converter = PDFConverter(timeout: 180)

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
        let text = try #require(try PDFText.extract(pdf))
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
        let text = try #require(try PDFText.extract(pdf))
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

    @Test("a cancelled run kills its process group at once instead of waiting out its time limit")
    func cancelled() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("honors-cancel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        // A parent that starts a child, as soffice starts soffice.bin; the child would write the marker later.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "(sleep 3; touch '\(marker.path)') & sleep 60"]
        let run = Task { try await ProcessRunner.run(process, timeout: 120) }
        try await Task.sleep(for: .milliseconds(300))
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(!process.isRunning)
        // Killed, not waited for: had the runner let the 60-second sleep run out, the shell would have exited
        // of itself. (Told by how it ended, not by a stopwatch, which a loaded machine makes lie.)
        #expect(process.terminationReason == .uncaughtSignal)
        try await Task.sleep(for: .seconds(4))
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the child was killed with its parent")
    }

    @Test("a file LibreOffice cannot read yields an error, not an empty PDF",
          .enabled(if: PDFConverterTests.converter.available))
    func garbageInput() async {
        await #expect(throws: OfficeError.self) {
            _ = try await Self.converter.convert(Data([0, 1, 2, 3]), fileExtension: "docx")
        }
    }

    /// A stand-in for soffice: notes its HOME (the profile folder) and the time it ran, sleeps a little,
    /// and writes a PDF where LibreOffice would.
    static func fakeOffice() throws -> URL {
        let folder = try PDFConverter.makeTemporaryFolder()
        let script = folder.appendingPathComponent("soffice")
        let log = folder.appendingPathComponent("runs.log")
        try """
        #!/bin/sh
        out=""; prev=""; input=""
        for arg in "$@"; do
          [ "$prev" = "--outdir" ] && out="$arg"
          prev="$arg"; input="$arg"
        done
        echo "start $(date +%s%N) $HOME" >> \(log.path)
        sleep 0.3
        name=$(basename "$input"); printf '%%PDF-1.4 fake' > "$out/${name%.*}.pdf"
        echo "end $(date +%s%N) $HOME" >> \(log.path)
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test("the pool runs at most its size at once and lends the same profile again")
    func pool() async throws {
        let script = try Self.fakeOffice()
        let log = script.deletingLastPathComponent().appendingPathComponent("runs.log")
        defer { try? FileManager.default.removeItem(at: script.deletingLastPathComponent()) }
        let pool = PDFConverterPool(converter: PDFConverter(executable: script, timeout: 10), size: 1)
        try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<3 { group.addTask { try await pool.convert(Data("x".utf8), fileExtension: "docx") } }
            for try await pdf in group { #expect(pdf.starts(with: Data("%PDF".utf8))) }
        }
        await pool.shutdown()
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        #expect(lines.map { String($0[0]) } == ["start", "end", "start", "end", "start", "end"], "never two at once")
        #expect(Set(lines.map { String($0[2]) }).count == 1, "one profile folder, reused")
    }
}
