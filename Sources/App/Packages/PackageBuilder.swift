import Fluent
import SQLKit
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// Builds one package: every nomination's form (Word, and PDF when asked and LibreOffice is there) and
/// photo in a folder of its own, then the 汇总表 and 附件1, written entry by entry into a zip under
/// `<data>/packages`. Progress is saved as it goes, so the page of any instance can show it.
struct PackageBuilder {
    let app: Application
    let jobID: Int
    /// This build's own half-written file: an instance that took the job over after a lease ran out never
    /// writes into the file of one that is, against expectation, still going.
    private let partial: URL

    init(app: Application, jobID: Int) {
        self.app = app
        self.jobID = jobID
        partial = Self.folder(app).appendingPathComponent("\(jobID)-\(UUID().uuidString.prefix(8).lowercased()).zip.partial")
    }

    /// Nominations loaded per query.
    static let batchSize = 50
    /// Finished packages older than this are deleted when a new one completes.
    static let keepFor: TimeInterval = 7 * 24 * 3600

    static func folder(_ app: Application) -> URL {
        URL(fileURLWithPath: app.honors.dataDirectory).appendingPathComponent("packages", isDirectory: true)
    }

    static func file(_ app: Application, jobID: Int) -> URL {
        folder(app).appendingPathComponent("\(jobID).zip")
    }

    func run() async {
        do {
            try await build()
        } catch {
            // A half-written zip holds full ID numbers: it does not stay behind.
            try? FileManager.default.removeItem(at: partial)
            switch error {
            case is CancellationError:
                app.logger.notice("package \(jobID): instance stopping, put back in the queue")
                do { try await PackageQueue.release(app, jobID: jobID) }
                catch { app.logger.warning("package \(jobID): not put back: \(String(reflecting: error))") }
            case is Lease.Lost:
                app.logger.warning("package \(jobID): taken over by another instance")
            default:
                app.logger.error("package \(jobID) failed: \(String(reflecting: error))")
                HonorsMetrics.packageBuilt("failed")
                try? await update { $0.set(\.$state, to: PackageJob.State.failed.rawValue)
                    .set(\.$note, to: "生成失败，请稍后重新生成；如仍失败请联系管理员。") }
            }
        }
    }

    /// Changes the job while this instance's claim holds, and renews the claim: every save of progress is
    /// the builder's sign of life. Throws `Lease.Lost` once another instance has taken the job over.
    private func update(_ change: @escaping @Sendable (QueryBuilder<PackageJob>) -> QueryBuilder<PackageJob>) async throws {
        let id = jobID, now = app.clock.now(), me = app.instanceName, until = now.addingTimeInterval(app.honors.jobLease)
        let kept = try await app.write(on: app.db) { db in
            // The row stays locked to the end of this transaction (PostgreSQL), so a takeover, which skips
            // locked rows, cannot come between the check and the change; on SQLite writes go one at a time.
            let lock: SQLQueryString = db.isSQLite ? "" : "FOR UPDATE"
            guard try await (db as! any SQLDatabase).raw(
                "SELECT id FROM package_jobs WHERE id = \(bind: id) AND claimed_by = \(bind: me) \(lock)").first() != nil
            else { return false }
            try await change(PackageJob.query(on: db).filter(\.$id == id).filter(\.$claimedBy == me))
                .set(\.$updatedAt, to: now).set(\.$leaseUntil, to: until).update()
            return true
        }
        guard kept else { throw Lease.Lost(name: "package \(id)") }
    }

    /// One nomination's files, ready to be written.
    private struct Form: Sendable {
        let id: Int
        let folder: String
        let title: String
        let docx: Data
        let photo: Data?
        let photoExtension: String?
        /// The current 盖章扫描件's files: stored name and the name to give it in the package.
        let scans: [(stored: String, name: String)]
    }

    /// Saves progress about once a second, not per form: the write lock is shared with every user.
    private func saveProgress(_ done: Int, _ lastSaved: inout Date) async throws {
        try Task.checkCancellation()
        guard Date().timeIntervalSince(lastSaved) > 1 else { return }
        lastSaved = Date()
        try await update { $0.set(\.$done, to: done) }
    }

    /// The build, and beside it a sign of life every third of the lease: a LibreOffice conversion or the wait
    /// for a profile can outlast a lease, and the job must not look abandoned while it is being worked on.
    /// Whichever ends first ends both; a lost claim (`Lease.Lost`) stops the build at once.
    private func build() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await buildForms() }
            group.addTask { try await keepAlive() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func keepAlive() async throws {
        let every = max(0.5, app.honors.jobLease / 3)
        while true {
            try await Task.sleep(for: .milliseconds(Int(every * 1000)))
            try await update { $0 }
        }
    }

    private func buildForms() async throws {
        let db = app.db
        guard let job = try await PackageJob.query(on: db).filter(\.$id == jobID).with(\.$campaign).with(\.$committee).first()
        else { return }
        let campaign = job.campaign
        let campaignID = try campaign.requireID()
        let committeeID = job.$committee.id
        let scope = try await ExportScope.of(username: job.requestedBy, committee: committeeID, on: db)
        var idQuery = Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$state ~~ scope.states.map(\.rawValue))
        if let committeeID = scope.committeeID { idQuery = idQuery.filter(\.$committee.$id == committeeID) }
        if !scope.excludedCommittees.isEmpty { idQuery = idQuery.filter(\.$committee.$id !~ Array(scope.excludedCommittees)) }
        let ids = try await idQuery.sort(\.$committee.$id).sort(\.$id).all(\.$id)
        let total = ids.count + 2
        try await update { $0.set(\.$state, to: PackageJob.State.running.rawValue).set(\.$total, to: total).set(\.$done, to: 0) }

        try FileManager.default.createDirectory(at: Self.folder(app), withIntermediateDirectories: true)
        let root = PackageNames.root(campaign: campaign, committee: job.committee?.name)
        let committees = Dictionary(uniqueKeysWithValues: try await Committee.query(on: db).all().compactMap { c in c.id.map { ($0, c.name) } })
        let pdf = job.withPDF && app.pdf.available ? app.pdf : nil
        var pdfFailures = 0
        var done = 0
        var lastSaved = Date()

        do {
            let zip = try ZipFileWriter(url: partial)
            for start in stride(from: 0, to: ids.count, by: Self.batchSize) {
                try Task.checkCancellation()
                let batch = try await Nomination.query(on: db).filter(\.$id ~~ Array(ids[start..<min(start + Self.batchSize, ids.count)]))
                    .sort(\.$id).all()
                let scans = try await NominationScan.query(on: db).filter(\.$id ~~ batch.compactMap(\.scanID)).all()
                var forms: [Form] = []
                for nomination in batch {
                    // A stamped scan cannot be masked: a package of masks goes without.
                    let current = nomination.scanState == .current && job.fullPersonalData
                        ? scans.first { $0.id == nomination.scanID } : nil
                    let files = (current?.fileList ?? []).enumerated().map { index, file in
                        (stored: file.stored, name: "盖章扫描件-\(index + 1).\(file.stored.split(separator: ".").last ?? "pdf")")
                    }
                    let document = try FormDocument(nomination, app: app, disclosure: job.fullPersonalData ? .full : .masked)
                    forms.append(Form(id: try nomination.requireID(),
                                      folder: root + "/" + PackageNames.nominationFolder(nomination, committee: committees[nomination.$committee.id] ?? ""),
                                      title: nomination.categoryValue.formTitle,
                                      docx: try await app.threadPool.runIfActive { try document.make() },
                                      photo: document.photo, photoExtension: nomination.photoFile.flatMap { $0.split(separator: ".").last.map(String.init) },
                                      scans: files))
                }
                // PDFs of a batch convert side by side, no more at once than the pool has profiles, so a
                // user's own form.pdf waits for at most that many conversions of a package.
                var pdfs: [Int: Data] = [:]
                if let pdf {
                    try await withThrowingTaskGroup(of: (Int, Data?).self) { group in
                        var waiting = forms[...]
                        func startNext() {
                            guard let form = waiting.popFirst() else { return }
                            group.addTask { (form.id, try? await pdf.convert(form.docx, fileExtension: "docx", bounded: false)) }
                        }
                        for _ in 0..<pdf.size { startNext() }
                        for try await (id, data) in group {
                            startNext()
                            if let data { pdfs[id] = data } else {
                                pdfFailures += 1
                                app.logger.warning("package \(jobID): PDF of nomination \(id) failed")
                            }
                            done += 1
                            try await saveProgress(done, &lastSaved)
                        }
                    }
                }
                for form in forms {
                    try zip.add("\(form.folder)/\(form.title).docx", form.docx)
                    if let data = pdfs[form.id] { try zip.add("\(form.folder)/\(form.title).pdf", data, compress: false) }
                    if let photo = form.photo {
                        try zip.add("\(form.folder)/二寸免冠照片.\(form.photoExtension ?? "jpg")", photo, compress: false)
                    }
                    for scan in form.scans {
                        if let data = try UploadStore(app: app, kind: .scan).read(scan.stored) {
                            try zip.add("\(form.folder)/\(scan.name)", data, compress: false)
                        }
                    }
                    if pdf == nil {
                        done += 1
                        try await saveProgress(done, &lastSaved)
                    }
                    // Zipping a form is work without a pause: requests served on the same threads get their turn.
                    await Task.yield()
                }
            }

            let rows = try await SummaryWorkbook.rows(campaignID: campaignID, scope: scope, secrets: app.secrets, on: db)
            let summary = SummaryWorkbook(title: SummaryWorkbook.title(of: campaign), rows: rows,
                                          fullPersonalData: job.fullPersonalData, sheetPerCommittee: committeeID == nil)
            try zip.add("\(root)/推荐汇总表.xlsx", try await app.threadPool.runIfActive { try summary.make() })
            done += 1
            let table = try await QuotaTable.load(campaignID: campaignID, onlyCommittee: committeeID, at: app.clock.now(), on: db)
            try zip.add("\(root)/附件1 推荐名额指导性计划分配表.docx",
                        try await app.threadPool.runIfActive { try QuotaDocument.make(campaign: campaign, table: table) })
            done += 1
        }
        let final = Self.file(app, jobID: jobID)
        // rename(2) replaces an older file of the same job in one step.
        guard rename(partial.path, final.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
        }
        // It holds full ID numbers and phones: readable by the service only.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: final.path)
        let size = (try? FileManager.default.attributesOfItem(atPath: final.path)[.size] as? NSNumber)?.intValue ?? 0
        let note: String? = pdfFailures > 0 ? "有\(pdfFailures)份审批表未能转换为 PDF（Word 版已包含）。" : nil
        let count = done
        try await update { $0.set(\.$state, to: PackageJob.State.done.rawValue).set(\.$done, to: count)
            .set(\.$fileSize, to: size).set(\.$note, to: note) }
        HonorsMetrics.packageBuilt("done")
        removeOldFiles()
    }

    /// Half-written packages nobody has touched for an hour: left by an instance that stopped mid-way.
    static func removeAbandonedFiles(_ app: Application) {
        removeFiles(app, untouchedFor: 3600) { $0.pathExtension == "partial" }
    }

    private func removeOldFiles() {
        Self.removeExpiredFiles(app)
    }

    /// Finished packages past their 7 days: at every start, with each new package, and on the reminder sweep.
    static func removeExpiredFiles(_ app: Application) {
        removeFiles(app, untouchedFor: keepFor) { _ in true }
    }

    private static func removeFiles(_ app: Application, untouchedFor age: TimeInterval, where wanted: (URL) -> Bool) {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder(app), includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files where wanted(file) {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? Date()
            if Date().timeIntervalSince(modified) > age { try? FileManager.default.removeItem(at: file) }
        }
    }
}
