import Foundation

/// Converts .docx/.xlsx to PDF with LibreOffice headless, for printing and archiving the forms.
/// Each call gets its own profile folder, fresh or lent by a `PDFConverterPool` (concurrent LibreOffice
/// instances sharing a profile fail), and
/// a time limit, and success is judged by the output file, because soffice exits 0 even when it
/// produced nothing.
public struct PDFConverter: Sendable {
    /// The soffice/libreoffice executable, nil when none was found.
    public let executable: URL?
    /// Seconds before the conversion is killed; the first start of a fresh profile takes several.
    public var timeout: Double

    /// Finds LibreOffice on PATH unless an executable is given (tests pass nil or a fake).
    public init(executable: URL? = PDFConverter.findExecutable(), timeout: Double = 120) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Whether LibreOffice is installed, so callers can hide PDF downloads and tests can skip.
    public var available: Bool { executable != nil }

    /// Whether the installation includes Calc; server installs often carry only Writer, and then
    /// spreadsheets cannot be converted ("source file could not be loaded").
    public var supportsSpreadsheets: Bool {
        guard let executable else { return false }
        let program = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: program.path)) ?? []
        return names.contains { $0.hasPrefix("libsclo.") }
            || FileManager.default.fileExists(atPath: program.deletingLastPathComponent()
                .appendingPathComponent("Frameworks/libsclo.dylib").path)
    }

    /// Looks for `soffice` then `libreoffice` on PATH.
    public static func findExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        ProcessRunner.find(["soffice", "libreoffice"], environment: environment)
    }

    /// Converts document bytes; `fileExtension` ("docx", "xlsx") tells LibreOffice which filter to use.
    /// `profileFolder` is a LibreOffice profile to reuse (see `PDFConverterPool`); nil starts a fresh one.
    public func convert(_ document: Data, fileExtension: String, profileFolder: URL? = nil) async throws -> Data {
        let work = try Self.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let input = work.appendingPathComponent("document.\(fileExtension)")
        try document.write(to: input)
        let output = try await convert(fileAt: input, outputFolder: work.appendingPathComponent("out"),
                                       profileFolder: profileFolder)
        return try Data(contentsOf: output)
    }

    /// Converts a file into `outputFolder` and returns the PDF's URL. A reused `profileFolder` must not
    /// serve two conversions at once.
    public func convert(fileAt input: URL, outputFolder: URL, profileFolder: URL? = nil) async throws -> URL {
        guard let executable else { throw OfficeError.converterUnavailable }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        let scratch = try Self.makeTemporaryFolder()
        defer { try? fileManager.removeItem(at: scratch) }

        // A reused profile keeps LibreOffice's first-start work (seconds) for the next conversion.
        let home = profileFolder ?? scratch
        try fileManager.createDirectory(at: home, withIntermediateDirectories: true)
        let profile = home.appendingPathComponent("profile", isDirectory: true)
        let fontconfig = home.appendingPathComponent("fonts.conf")
        if !fileManager.fileExists(atPath: fontconfig.path) {
            try Data(FontconfigAliases.configurationXML.utf8).write(to: fontconfig)
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "-env:UserInstallation=\(profile.absoluteURL.absoluteString)",
            "--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", outputFolder.path, input.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["FONTCONFIG_FILE"] = fontconfig.path
        environment["HOME"] = home.path   // LibreOffice writes caches under HOME
        environment["SAL_USE_VCLPLUGIN"] = "svp"
        process.environment = environment
        let log = scratch.appendingPathComponent("soffice.log")
        _ = fileManager.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice

        let timedOut = try await ProcessRunner.run(process, timeout: timeout)
        if timedOut { throw OfficeError.conversionTimedOut(seconds: timeout) }

        let pdf = outputFolder.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".pdf")
        let size = (try? fileManager.attributesOfItem(atPath: pdf.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else {
            let message = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw OfficeError.conversionFailed(
                "exit \(process.terminationStatus), no PDF: \(message.trimmingCharacters(in: .whitespacesAndNewlines).suffix(500))")
        }
        return pdf
    }

    static func makeTemporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("honors-office-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
