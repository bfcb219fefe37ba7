import Fluent
import Foundation
import HonorsCore

extension NominationTransitions {
    /// What was checked of a scan before it is kept: its stored files and how it was matched to a version.
    struct ScanRecord: Sendable {
        var files: [ScanFile]
        var pages: Int
        var bytes: Int
        /// The version printed in the form's footer, when its QR code said so.
        var printedVersion: Int?
        /// The data fingerprint the form was printed with (checked against the row inside the write).
        var fingerprint: String
        /// `qr` or `manual`.
        var matched: String
    }

    /// Keeps the scan as the nomination's current one, pinned to its fingerprint. Refused as stale when the
    /// row's data no longer has that fingerprint (changed since the scan was checked).
    func attachScan(_ id: Int, expectedVersion: Int, _ record: ScanRecord, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now, secrets = app.secrets
        try await apply(.scan, to: id, expectedVersion: expectedVersion, in: db) { step in
            let nomination = step.nomination
            let current = try NominationService.fingerprint(of: nomination, secrets: secrets)
            guard current == record.fingerprint else { throw TransitionError.stale }
            let scan = NominationScan()
            scan.$nomination.id = id
            scan.files = NominationScan.encode(record.files)
            scan.pages = record.pages
            scan.bytes = record.bytes
            scan.printedVersion = record.printedVersion
            scan.fingerprint = record.fingerprint
            scan.matched = record.matched
            scan.uploadedBy = user.username
            scan.uploadedAt = now
            try await scan.create(on: step.db)
            nomination.scanID = scan.id
            nomination.scanFingerprint = record.fingerprint
            nomination.dataFingerprint = record.fingerprint
            return Effect(changes: [
                FieldChange("stamped_scan", old: nil, new: record.files.map(\.original).joined(separator: "、")),
                FieldChange("scan_fingerprint", old: nil, new: record.fingerprint),
                FieldChange("scan_matched", old: nil, new: record.matched == "qr" ? "二维码" : "人工确认"),
            ])
        }
    }
}
