import Foundation
import ZIPFoundation

/// An ordered set of named parts, the container shape shared by .docx and .xlsx. Ordered because
/// `[Content_Types].xml` is conventionally first and some readers sniff it.
public struct ZipPackage: Sendable {
    /// One part of the package.
    public struct Part: Sendable {
        /// Path inside the package, without a leading slash.
        public var path: String
        /// The part's bytes, uncompressed.
        public var data: Data
    }

    /// Parts in the order they are written.
    public private(set) var parts: [Part] = []
    private var index: [String: Int] = [:]

    /// An empty package.
    public init() {}

    /// Adds or replaces a part, keeping the original position on replacement.
    public mutating func add(_ path: String, _ data: Data) {
        if let position = index[path] {
            parts[position].data = data
        } else {
            index[path] = parts.count
            parts.append(Part(path: path, data: data))
        }
    }

    /// The part stored under `path`, if any.
    public subscript(path: String) -> Data? {
        index[path].map { parts[$0].data }
    }

    /// Paths in package order.
    public var paths: [String] { parts.map(\.path) }

    /// The ZIP bytes, deflated; built in memory because callers send them as a download.
    public func archived() throws -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts { try archive.addPart(part.path, part.data) }
            guard let bytes = archive.data else { throw OfficeError.archive("in-memory archive has no data") }
            return bytes
        } catch let error as OfficeError {
            throw error
        } catch {
            throw OfficeError.archive(String(describing: error))
        }
    }

    /// Opens ZIP bytes (an uploaded or generated .docx/.xlsx) and loads every file entry. An upload can be
    /// a zip bomb: reading stops with `OfficeError.tooLarge` once the entries unpack to more than
    /// `maximumUnpackedBytes` or number more than `maximumEntries`, whatever their headers claim.
    ///
    /// The bytes are read from a temporary file, not from memory: ZIPFoundation's in-memory reader traps on a
    /// directory or entry offset past the end of the data (a truncated or hostile upload would stop the
    /// server), while reading a file past its end only ends the read.
    public static func read(_ data: Data, maximumUnpackedBytes: Int = 256 << 20, maximumEntries: Int = 10_000) throws -> ZipPackage {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("honors-office-\(UUID().uuidString).zip")
        do {
            try data.write(to: file)
        } catch {
            throw OfficeError.archive("cannot write a temporary copy: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let archive: Archive
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw OfficeError.archive("not a ZIP file: \(error)")
        }
        var package = ZipPackage()
        var unpacked = 0
        var entries = 0
        for entry in archive where entry.type == .file {
            entries += 1
            guard entries <= maximumEntries else { throw OfficeError.tooLarge }
            var content = Data()
            do {
                _ = try archive.extract(entry, bufferSize: 64 * 1024) { chunk in
                    unpacked += chunk.count
                    guard unpacked <= maximumUnpackedBytes else { throw OfficeError.tooLarge }
                    content.append(chunk)
                }
            } catch OfficeError.tooLarge {
                throw OfficeError.tooLarge
            } catch {
                throw OfficeError.archive("cannot extract \(entry.path): \(error)")
            }
            package.add(entry.path, content)
        }
        return package
    }

    /// A part that must exist, as a failure naming it otherwise.
    func required(_ path: String) throws -> Data {
        guard let data = self[path] else { throw OfficeError.missingPart(path) }
        return data
    }
}

extension Archive {
    /// Adds one file entry. A fixed date keeps output reproducible: the same data makes the same bytes,
    /// which makes files comparable across runs.
    func addPart(_ path: String, _ data: Data, compress: Bool = true) throws {
        try addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                     modificationDate: Date(timeIntervalSince1970: 1_704_067_200),
                     compressionMethod: compress ? .deflate : .none,
                     bufferSize: Swift.max(16 * 1024, Swift.min(data.count, 1 << 20))) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<Swift.min(start + size, data.count))
        }
    }
}
