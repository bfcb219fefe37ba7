import Foundation

/// Reads what a scanned document holds: its kind by content, its pages, and the QR codes on them. PDF pages
/// are rasterised with poppler's `pdftoppm`, codes read with ZBar's `zbarimg` (Debian's poppler-utils and
/// zbar-tools), each in its own process with a time limit.
public struct ScanReader: Sendable {
    public enum Kind: String, Sendable {
        case pdf, jpeg, png

        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    }

    public let zbarimg: URL?
    public let pdftoppm: URL?
    public let pdfinfo: URL?
    /// Seconds each helper may run.
    public var timeout: Double
    /// Pages rasterised per PDF: the code is in every page's footer, the first pages suffice.
    public var maxPages: Int
    /// The longest side of a rasterised page in pixels, whatever size the PDF claims its pages are: enough
    /// for the footer's 1.6 cm code to read at 4 pixels a module on A4, bounded for a hostile page size.
    public var pagePixels = 2800
    /// The largest image read for codes, in pixels; a larger one is refused before any helper sees it.
    public static let maxImagePixels = 80_000_000

    public init(zbarimg: URL? = ProcessRunner.find(["zbarimg"]), pdftoppm: URL? = ProcessRunner.find(["pdftoppm"]),
                pdfinfo: URL? = ProcessRunner.find(["pdfinfo"]), timeout: Double = 30, maxPages: Int = 10) {
        self.zbarimg = zbarimg
        self.pdftoppm = pdftoppm
        self.pdfinfo = pdfinfo
        self.timeout = timeout
        self.maxPages = maxPages
    }

    /// Whether codes can be read at all here (images need ZBar, PDFs also poppler).
    public var canReadCodes: Bool { zbarimg != nil }

    /// The kind by the file's first bytes, whatever its name says.
    public static func kind(of data: Data) -> Kind? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }

    /// What poppler's `pdfinfo` tells of a PDF, object streams and all.
    public struct PDFInfo: Sendable, Equatable {
        public var pages: Int
        public var encrypted: Bool
        public var javaScript: Bool
    }

    /// Pages, encryption and scripts of a PDF, from `pdfinfo`; nil when it cannot be read (damaged, needs a
    /// password, not a PDF after all).
    public func pdfInfo(_ file: URL) async -> PDFInfo? {
        guard let pdfinfo,
              let outcome = try? await ProcessRunner.capture(pdfinfo, [file.path], timeout: timeout),
              !outcome.timedOut, outcome.status == 0 else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: outcome.output, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let pages = fields["Pages"].flatMap({ Int($0) }) else { return nil }
        return PDFInfo(pages: pages, encrypted: fields["Encrypted"]?.hasPrefix("yes") == true,
                       javaScript: fields["JavaScript"]?.hasPrefix("yes") == true)
    }

    /// The texts of the QR codes on the files' pages, in page order; empty when none could be read.
    public func codes(in files: [(url: URL, kind: Kind)]) async throws -> [String] {
        guard let zbarimg else { return [] }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("honors-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var images: [String] = []
        for (index, file) in files.enumerated() {
            switch file.kind {
            case .jpeg, .png:
                images.append(file.url.path)
            case .pdf:
                guard let pdftoppm else { continue }
                let prefix = work.appendingPathComponent("f\(index)").path
                let outcome = try await ProcessRunner.capture(
                    pdftoppm, ["-scale-to", "\(pagePixels)", "-gray", "-png", "-f", "1", "-l", "\(maxPages)", file.url.path, prefix],
                    timeout: timeout)
                guard !outcome.timedOut else { continue }
                let made = (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
                images += made.filter { $0.hasPrefix("f\(index)-") }.sorted().map { work.appendingPathComponent($0).path }
            }
        }
        guard !images.isEmpty else { return [] }
        let outcome = try await ProcessRunner.capture(
            zbarimg, ["--raw", "-q", "-Sdisable", "-Sqrcode.enable"] + images, timeout: timeout)
        // 0: codes found; 4: none found; anything else: unreadable images.
        guard !outcome.timedOut, outcome.status == 0 else { return [] }
        return String(decoding: outcome.output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
