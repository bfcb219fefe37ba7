import Foundation

/// A few LibreOffice profiles lent out one conversion at a time. Reusing a profile saves LibreOffice's
/// first-start work on every conversion after the first, and the pool's size bounds how many soffice
/// processes a busy server runs at once; further requests wait their turn, up to `maxWaiting` of them:
/// past that a request is refused with `OfficeError.busy` at once rather than held for minutes.
public actor PDFConverterPool {
    public nonisolated let converter: PDFConverter
    public nonisolated let size: Int
    public nonisolated let maxWaiting: Int
    private var free: [URL] = []
    private var created = 0
    private var waiting: [CheckedContinuation<URL, Never>] = []
    private let root: URL

    /// `size` profiles under a private temporary folder, created as they are first needed.
    public init(converter: PDFConverter = PDFConverter(), size: Int = 2, maxWaiting: Int = 8) {
        self.converter = converter
        self.size = max(1, size)
        self.maxWaiting = max(0, maxWaiting)
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(TemporaryFiles.profilesPrefix)\(getpid())-\(UUID().uuidString)", isDirectory: true)
    }

    /// Whether LibreOffice is installed.
    public nonisolated var available: Bool { converter.available }

    /// Converts on a pooled profile. A profile whose conversion failed or timed out is thrown away and
    /// replaced by a fresh one, so one bad run cannot spoil the next. `bounded: false` is for background work,
    /// which waits however long the queue is.
    public func convert(_ document: Data, fileExtension: String, bounded: Bool = true) async throws -> Data {
        let profile = try await acquire(bounded: bounded)
        do {
            let pdf = try await converter.convert(document, fileExtension: fileExtension, profileFolder: profile)
            release(profile)
            return pdf
        } catch {
            try? FileManager.default.removeItem(at: profile)
            release(root.appendingPathComponent(UUID().uuidString, isDirectory: true))
            throw error
        }
    }

    /// Conversions waiting for a profile now.
    public var queued: Int { waiting.count }

    /// Conversions running now (profiles lent out).
    public var running: Int { created - free.count }

    private func acquire(bounded: Bool) async throws -> URL {
        if let profile = free.popLast() { return profile }
        if created < size {
            created += 1
            return root.appendingPathComponent(UUID().uuidString, isDirectory: true)
        }
        if bounded, waiting.count >= maxWaiting { throw OfficeError.busy }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func release(_ profile: URL) {
        if waiting.isEmpty {
            free.append(profile)
        } else {
            waiting.removeFirst().resume(returning: profile)
        }
    }

    /// Deletes the profiles; call when the application stops.
    public func shutdown() {
        try? FileManager.default.removeItem(at: root)
    }
}
