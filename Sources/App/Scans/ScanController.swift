import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// `POST /nominations/{id}/scan` (field `scan`, one or more files) and `GET /nominations/{id}/scan/{file}`.
/// A scan is kept only when it is of the current data: by the QR code of the printed form, or, when no code
/// can be read, by the operator's confirmation of which printed version it is.
struct ScanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let nomination = routes.grouped(NominationRefusals())
        nomination.on(.POST, "nominations", ":nominationID", "scan", body: .collect(maxSize: "21mb"), use: upload)
            .bodyLimit(21 * 1024 * 1024)
        nomination.get("nominations", ":nominationID", "scan", ":file", use: file)
    }

    struct Input: Content {
        var scan: [File]?
        var version: Int?
        /// A pending upload's token, when the operator confirms a printed version.
        var pending: String?
        /// The fingerprint the operator confirms the unreadable scan was printed with.
        var printed: String?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let loaded = try await NominationController.load(req, for: .scan)
        let nomination = loaded.nomination, id = loaded.id
        let input = try req.content.decode(Input.self)
        let service = try NominationService(req: req)
        let current = try service.fingerprint(of: nomination)
        let store = UploadStore(app: req.application, kind: .scan)
        let reader = req.application.scanReader

        let files: [ScanFile]
        var printedVersion: Int?
        let matched: String
        if let token = input.pending, !token.isEmpty, (input.scan ?? []).allSatisfy({ $0.data.readableBytes == 0 }) {
            // The operator answers which printed version the unreadable scan is.
            let pending: [ScanFile]
            switch ScanUpload.Pending.check(token, nominationID: id, version: nomination.version, fingerprint: current,
                                            user: try req.requireUser().id, now: req.now, secrets: req.application.secrets) {
            case .valid(let files): pending = files
            case .invalid: throw TransitionError.invalid(["scan": "扫描件确认信息无效，请重新上传。"])
            case .outdated: throw TransitionError.invalid(["scan": "上传扫描件后此推荐已有变动（或已超过 1 小时），请重新上传扫描件。"])
            }
            guard let printed = input.printed, !printed.isEmpty else {
                return try await confirmPage(loaded, files: pending, current: current, req: req,
                                             errors: ["printed": "请选择此扫描件对应的打印版本。"])
            }
            guard printed == current else {
                throw TransitionError.invalid(["scan": ScanUpload.olderMessage(version: nil, fingerprint: printed,
                    currentVersion: nomination.version, currentFingerprint: current)])
            }
            files = pending
            matched = "manual"
        } else {
            // A few scans are read at a time; the others wait their turn rather than crowd the machine.
            let uploads = input.scan ?? []
            let (checked, texts): ([ScanUpload.Checked], [String])
            do {
                (checked, texts) = try await req.application.scanSlots.run { try await ScanUpload.examine(uploads, reader: reader) }
            } catch is ServerBusy {
                throw TransitionError.invalid(["scan": ServerBusy.message])
            }
            // Kept under their content hash once they are accepted, or while the operator confirms them.
            func stored() throws -> [ScanFile] {
                try checked.map { ScanFile(stored: try store.store($0.data, extension: $0.kind.fileExtension), original: $0.name, pages: $0.pages) }
            }
            switch ScanUpload.reading(of: texts, nominationID: id, currentFingerprint: current) {
            case .current(let version):
                printedVersion = version
                matched = "qr"
            case .older(let version, let fingerprint):
                throw TransitionError.invalid(["scan": ScanUpload.olderMessage(version: version, fingerprint: fingerprint,
                    currentVersion: nomination.version, currentFingerprint: current)])
            case .otherNomination(let other):
                throw TransitionError.invalid(["scan": "此扫描件的二维码属于推荐编号 \(other)，不是本推荐（编号 \(id)）的审批表。未保存。"])
            case .unreadable:
                let why = reader.canReadCodes ? "未能从扫描件中识别出审批表页脚的二维码。"
                                              : "本服务器未安装二维码识别组件（zbar-tools）。"
                return try await confirmPage(loaded, files: try stored(), current: current, req: req,
                                             errors: ["printed": why + "请核对扫描件页脚的“版本”和“数据指纹”，选择它对应的打印版本。"])
            }
            files = try stored()
        }

        let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: store.path($1.stored) ?? "")[.size] as? Int) ?? 0) }
        try await service.transitions.attachScan(id, expectedVersion: input.version ?? nomination.version, .init(
            files: files, pages: files.reduce(0) { $0 + $1.pages }, bytes: bytes, printedVersion: printedVersion,
            fingerprint: current, matched: matched))
        return req.redirect(to: "/nominations/\(id)?notice=scan")
    }

    /// The page again, asking which printed version an unreadable scan is; the files wait in the token.
    private func confirmPage(_ loaded: NominationController.Loaded, files: [ScanFile], current: String, req: Request,
                             errors: [String: String]) async throws -> Response {
        let id = loaded.id
        var choices = [ScanUpload.Pending.Choice(fingerprint: current,
                                                 label: "当前数据：版本 \(loaded.nomination.version) · 数据指纹 \(current)", current: true)]
        for (fingerprint, at) in try await Self.printedFingerprints(of: id, on: req.db) where fingerprint != current {
            choices.append(.init(fingerprint: fingerprint, label: "\(at) 打印的版本 · 数据指纹 \(fingerprint)", current: false))
        }
        let claim = ScanUpload.Pending.Claim(files: files, nomination: id, version: loaded.nomination.version, fingerprint: current,
                                             user: try req.requireUser().id, issued: req.now)
        let pending = ScanUpload.Pending(files: files, token: ScanUpload.Pending.token(for: claim, secrets: req.application.secrets),
                                         choices: choices, pages: files.reduce(0) { $0 + $1.pages })
        let view = try await NominationController.showView(loaded, req: req, errors: errors, pending: pending)
        return try await req.page(title: loaded.nomination.displayName, view.html(csrf: req.csrfToken), status: .unprocessableEntity)
    }

    /// Fingerprints of the forms downloaded for this nomination, newest first, with when they were printed.
    static func printedFingerprints(of nominationID: Int, on db: any Database) async throws -> [(String, String)] {
        let events = try await AuditEvent.query(on: db).filter(\.$objectType == "nomination")
            .filter(\.$objectID == "\(nominationID)").filter(\.$action == "document.form")
            .sort(\.$id, .descending).limit(50).all()
        var seen: Set<String> = []
        var out: [(String, String)] = []
        for event in events {
            let changes = event.fieldChanges
            guard let fingerprint = changes.first(where: { $0.field == "fingerprint" })?.new, seen.insert(fingerprint).inserted
            else { continue }
            out.append((fingerprint, DateFormatting.minute(event.occurredAt)))
        }
        return out
    }

    @Sendable func file(req: Request) async throws -> Response {
        let nomination = try await NominationController.load(req).nomination
        // A stamped form is a picture of the full ID number and phone: no mask can be laid over it.
        guard try req.requireUser().disclosure(.scan, committeeID: nomination.$committee.id) == .full else {
            throw ExplainedRefusal(status: .forbidden, title: "无权查看扫描件",
                                   message: "盖章扫描件含完整身份证号和电话，须经联盟管理员授权方可查看。")
        }
        let name = req.parameters.get("file") ?? ""
        let scans = try await NominationScan.query(on: req.db).filter(\.$nomination.$id == nomination.requireID()).all()
        guard scans.contains(where: { $0.fileList.contains { $0.stored == name } }),
              let data = try UploadStore(app: req.application, kind: .scan).read(name) else { throw Abort(.notFound) }
        // A stamped form shows the full ID number and phone: every view is on record, like a form's download.
        try await req.recordOutput("document.scan", objectType: "nomination", objectID: "\(try nomination.requireID())",
                                   label: nomination.displayName, committeeID: nomination.$committee.id,
                                   changes: [FieldChange("file", old: nil, new: name)])
        return NominationController.inline(data, name: name)
    }
}

extension Application {
    private struct ScanReaderKey: StorageKey { typealias Value = ScanReader }
    private struct ScanSlotsKey: StorageKey { typealias Value = Slots }

    /// Scans read at once: each runs poppler and ZBar.
    var scanSlots: Slots {
        if let slots = storage[ScanSlotsKey.self] { return slots }
        let slots = Slots(2)
        storage[ScanSlotsKey.self] = slots
        return slots
    }

    /// Reads the pages and QR codes of uploaded scans (poppler and ZBar, when installed).
    var scanReader: ScanReader {
        get { storage[ScanReaderKey.self] ?? ScanReader() }
        set { storage[ScanReaderKey.self] = newValue }
    }
}
