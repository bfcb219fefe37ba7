import Foundation
import ZIPFoundation

/// Writes a ZIP file entry by entry, so a package of hundreds of forms never sits in memory whole.
/// Entry names are stored as UTF-8 (general purpose bit 11), which keeps Chinese file names readable in
/// Windows Explorer, macOS and unzip alike.
public final class ZipFileWriter {
    private let archive: Archive
    private var names: Set<String> = []

    /// Creates (or replaces) the file at `url`.
    public init(url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw OfficeError.archive("cannot create \(url.lastPathComponent): \(error)")
        }
    }

    /// Adds a file. A name already used gets " (2)", " (3)" … before its extension rather than
    /// overwriting: two people of the same name in one folder both arrive. Returns the name used.
    @discardableResult
    public func add(_ path: String, _ data: Data, compress: Bool = true) throws -> String {
        let name = uniqueName(path)
        do {
            try archive.addPart(name, data, compress: compress)
        } catch {
            throw OfficeError.archive("cannot add \(name): \(error)")
        }
        return name
    }

    private func uniqueName(_ path: String) -> String {
        var candidate = path
        var number = 2
        while names.contains(candidate) {
            let dot = path.lastIndex(of: ".").flatMap { $0 > (path.lastIndex(of: "/") ?? path.startIndex) ? $0 : nil }
            candidate = dot.map { "\(path[..<$0]) (\(number))\(path[$0...])" } ?? "\(path) (\(number))"
            number += 1
        }
        names.insert(candidate)
        return candidate
    }
}
