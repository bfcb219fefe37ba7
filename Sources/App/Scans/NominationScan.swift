import Fluent
import Foundation

/// One upload of the 盖章扫描件: one or more files (PDF pages or images) that together are the scan of the
/// printed, signed and stamped form, pinned to the fingerprint of the data it was printed from.
final class NominationScan: Model, @unchecked Sendable {
    static let schema = "nomination_scans"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "nomination_id") var nomination: Nomination
    /// JSON array of `ScanFile`.
    @Field(key: "files") var files: String
    @Field(key: "pages") var pages: Int
    @Field(key: "bytes") var bytes: Int
    /// The version printed in the form's footer, as read from its QR code or confirmed by the operator.
    @OptionalField(key: "printed_version") var printedVersion: Int?
    /// The data fingerprint the form was printed with.
    @Field(key: "fingerprint") var fingerprint: String
    /// `qr`: read from the code; `manual`: confirmed by the operator when no code could be read.
    @Field(key: "matched") var matched: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $nomination, $files, $pages, $bytes, $printedVersion, $fingerprint, $matched, $uploadedBy, $uploadedAt]
    }

    init() {}

    var fileList: [ScanFile] { Self.fileList(files) }

    /// The `files` column read back.
    static func fileList(_ files: String) -> [ScanFile] {
        (try? JSONDecoder().decode([ScanFile].self, from: Data(files.utf8))) ?? []
    }

    static func encode(_ files: [ScanFile]) -> String {
        String(decoding: (try? JSONEncoder().encode(files)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// One stored file of a scan: its stored name (content hash and extension), the name it was uploaded
/// under, and how many pages it holds.
struct ScanFile: Codable, Sendable, Equatable {
    var stored: String
    var original: String
    var pages: Int
}

extension NominationScan: RowWritable {
    static let columns = ["nomination_id", "files", "pages", "bytes", "printed_version", "fingerprint", "matched",
                          "uploaded_by", "uploaded_at"]

    var row: [any Encodable & Sendable] {
        [$nomination.id, files, pages, bytes, printedVersion, fingerprint, matched, uploadedBy, uploadedAt]
    }
}
