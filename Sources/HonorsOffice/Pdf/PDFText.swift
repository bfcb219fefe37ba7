import Foundation

/// The text of a PDF through poppler's `pdftotext`: how Honors checks that a converted form really shows
/// its labels and data (fonts missing or mapped wrong leave them out).
public enum PDFText {
    /// The text, or nil when pdftotext is not installed.
    public static func extract(_ pdf: Data) throws -> String? {
        let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else { return nil }
        let folder = try PDFConverter.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.pdf")
        let output = folder.appendingPathComponent("out.txt")
        try pdf.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", input.path, output.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try String(contentsOf: output, encoding: .utf8)
    }
}
