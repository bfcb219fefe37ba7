import Fluent
import Foundation
import HonorsCore
import SQLKit

/// The 盖章扫描件 part of a nomination's page: whether the scan is current, its files, who uploaded it when,
/// and what the current printed form carries (version and fingerprint) to compare with.
struct ScanView {
    struct FileLink {
        let name: String
        let href: String
        let pages: Int
    }

    let state: String
    let stateLabel: String
    let required: Bool
    let files: [FileLink]
    var hasFiles: Bool { !files.isEmpty }
    let pages: Int
    let uploadedBy: String?
    let uploadedAt: String?
    let printedVersion: Int?
    let matchedLabel: String?
    let currentFingerprint: String
    let pending: ScanUpload.Pending?
    /// The viewer may open the files (`PersonalDataPolicy`, output `.scan`); otherwise their names only.
    let viewable: Bool

    static func load(_ nomination: Nomination, state: ScanState, currentFingerprint: String,
                     pending: ScanUpload.Pending?, required: Bool, viewable: Bool, on db: any Database) async throws -> ScanView {
        let id = nomination.id ?? 0
        let scan = try await nomination.scanID.asyncMap { scanID in
            try await (db as! any SQLDatabase).select()
                .columns("files", "pages", "printed_version", "matched", "uploaded_by", "uploaded_at").from(NominationScan.schema)
                .where("id", .equal, SQLBind(scanID)).first()
        } ?? nil
        let files = try scan.map { try NominationScan.fileList($0.decode(column: "files", as: String.self)) }?.map {
            FileLink(name: $0.original, href: "/nominations/\(id)/scan/\($0.stored)", pages: $0.pages)
        } ?? []
        return ScanView(
            state: state.rawValue, stateLabel: state.label, required: required, files: files,
            pages: try scan?.decode(column: "pages", as: Int.self) ?? 0,
            uploadedBy: try scan?.decode(column: "uploaded_by", as: String.self),
            uploadedAt: try scan.map { DateFormatting.minute(try $0.decode(column: "uploaded_at", as: Date.self)) },
            printedVersion: try scan?.decode(column: "printed_version", as: Int?.self),
            matchedLabel: try scan.map { try $0.decode(column: "matched", as: String.self) == "qr" ? "由审批表二维码识别" : "经办人人工确认" },
            currentFingerprint: currentFingerprint, pending: pending, viewable: viewable)
    }
}
