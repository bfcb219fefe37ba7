import Fluent
import Foundation
import SQLKit
import Vapor

/// The stored files the database names, in one place: the invariant check asks whether each is there, the
/// sweeper removes what none of them is.
enum StoredFiles {
    struct Reference: Sendable {
        let kind: UploadStore.Kind
        let name: String
        /// For a finding, in Chinese.
        let what: String
    }

    static func referenced(on db: any Database) async throws -> [Reference] {
        var wanted: [Reference] = []
        for n in try await Nomination.query(on: db).filter(\.$photoFile != nil).field(\.$id).field(\.$photoFile).all() {
            wanted.append(.init(kind: .photo, name: n.photoFile!, what: "推荐编号 \(n.id ?? 0) 的照片"))
        }
        for scan in try await NominationScan.query(on: db).field(\.$id).field(\.$nomination.$id).field(\.$files).all() {
            for file in scan.fileList {
                wanted.append(.init(kind: .scan, name: file.stored, what: "推荐编号 \(scan.$nomination.id) 的扫描件“\(file.original)”"))
            }
        }
        for reply in try await IntegrityReply.query(on: db).filter(\.$scanFile != nil)
            .field(\.$id).field(\.$nomination.$id).field(\.$scanFile).all() {
            wanted.append(.init(kind: .integrity, name: reply.scanFile!, what: "推荐编号 \(reply.$nomination.id) 的纪检答复扫描件"))
        }
        for objection in try await Objection.query(on: db).filter(\.$attachmentFile != nil).field(\.$id).field(\.$attachmentFile).all() {
            wanted.append(.init(kind: .objection, name: objection.attachmentFile!, what: "异议 \(objection.id ?? 0) 的附件"))
        }
        return wanted
    }

    /// The names the database holds, by kind's subfolder: for the sweeper, which runs at start and every few
    /// minutes, read as distinct plain values (no model built per row), so its cost and memory follow the number
    /// of distinct files, not of rows.
    static func names(on db: any Database) async throws -> [String: Set<String>] {
        let sql = db as! any SQLDatabase
        func distinct(_ column: String, in table: String) async throws -> Set<String> {
            Set(try await sql.raw(SQLQueryString("""
                SELECT DISTINCT \(unsafeRaw: column) AS name FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) IS NOT NULL
                """)).all().map { try $0.decode(column: "name", as: String.self) })
        }
        var scans: Set<String> = []
        for files in try await distinct("files", in: NominationScan.schema) { scans.formUnion(NominationScan.fileList(files).map(\.stored)) }
        return [UploadStore.Kind.photo.subfolder: try await distinct("photo_file", in: Nomination.schema),
                UploadStore.Kind.scan.subfolder: scans,
                UploadStore.Kind.integrity.subfolder: try await distinct("scan_file", in: IntegrityReply.schema),
                UploadStore.Kind.objection.subfolder: try await distinct("attachment_file", in: Objection.schema)]
    }

    /// The partial files of uploads a killed run was writing (`DurableFile`): at start, before any request.
    @discardableResult
    static func removeAbandonedWrites(_ app: Application) -> Int {
        UploadStore.Kind.all.reduce(0) { $0 + DurableFile.removeAbandoned(in: UploadStore(app: app, kind: $1).folder) }
    }

    /// How long an unnamed file is kept: a scan waits up to an hour for its confirmation
    /// (`ScanUpload.Pending.lifetime`), a photo is named in the same request that stores it.
    static let graceForUnnamed: TimeInterval = 2 * 3600

    /// Removes the files in the upload folders that no row names and that were last written before the grace
    /// period: scans never confirmed, photos replaced, a form's failed save, and the temporary files an
    /// interrupted atomic write leaves. Returns how many were removed.
    @discardableResult
    static func removeUnnamed(_ app: Application, now: Date) async throws -> Int {
        let named = try await names(on: app.db)
        let fileManager = FileManager.default
        var removed = 0
        for kind in UploadStore.Kind.all {
            let store = UploadStore(app: app, kind: kind)
            let keep = named[kind.subfolder] ?? []
            guard let entries = try? fileManager.contentsOfDirectory(atPath: store.folder) else { continue }
            for entry in entries where !keep.contains(entry) {
                let path = store.folder + "/" + entry
                guard let attributes = try? fileManager.attributesOfItem(atPath: path),
                      attributes[.type] as? FileAttributeType == .typeRegular,
                      let modified = attributes[.modificationDate] as? Date,
                      now.timeIntervalSince(modified) > graceForUnnamed else { continue }
                if (try? fileManager.removeItem(atPath: path)) != nil { removed += 1 }
            }
        }
        if removed > 0 { app.logger.info("removed \(removed) stored files no record names") }
        return removed
    }
}
