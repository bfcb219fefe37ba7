import Crypto
import Foundation
import Vapor

/// Uploaded files, stored outside `Public/` under their content hash: a name nobody chooses and the same
/// file stored once. Each kind has its folder and the extensions it may hold; a name of any other shape is
/// never looked up.
struct UploadStore: Sendable {
    enum Kind: Sendable {
        /// 二寸免冠照片 (the first kind, kept in `uploads/` itself).
        case photo
        /// 盖章扫描件 pages.
        case scan
        /// Scans of 纪检 reply letters.
        case integrity
        /// Material attached to an objection on the public 公示 page.
        case objection

        static let all: [Kind] = [.photo, .scan, .integrity, .objection]

        var subfolder: String {
            switch self {
            case .photo: ""
            case .scan: "/scans"
            case .integrity: "/integrity"
            case .objection: "/objections"
            }
        }

        var extensions: Set<String> {
            switch self {
            case .photo: ["jpg", "png"]
            case .scan, .integrity, .objection: ["pdf", "jpg", "png"]
            }
        }
    }

    let app: Application
    let kind: Kind

    init(app: Application, kind: Kind) {
        self.app = app
        self.kind = kind
    }

    var folder: String { app.honors.dataDirectory + "/uploads" + kind.subfolder }

    func store(_ data: Data, extension ext: String) throws -> String {
        precondition(kind.extensions.contains(ext), "an extension of another kind")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = SHA256.hash(data: data).hex + "." + ext
        let path = folder + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            // Photos and stamped scans of named people: readable by the service only (0600), whole or absent.
            try DurableFile.write(data, to: path)
        } else {
            // Stored again: fresh for the sweeper, which keeps an unnamed file for its grace period from now.
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        }
        return name
    }

    /// The stored file's path, nil for a name that is not of this kind's shape.
    func path(_ name: String) -> String? {
        // Names are ours (64 hex digits and an extension); anything else is not looked up.
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              kind.extensions.contains(String(parts[1])) else { return nil }
        return folder + "/" + name
    }

    func read(_ name: String) throws -> Data? {
        path(name).flatMap { FileManager.default.contents(atPath: $0) }
    }

    static func mediaType(of name: String) -> HTTPMediaType {
        switch name.split(separator: ".").last {
        case "png": .png
        case "pdf": .pdf
        default: .jpeg
        }
    }
}
