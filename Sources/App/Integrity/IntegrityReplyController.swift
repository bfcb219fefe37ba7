import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// `POST /nominations/{id}/integrity`: the 纪检 reply on one nominee (`integrity_result`, `integrity_note`, `reply_date`,
/// optionally the reply's scan `reply_scan`), and `GET /nominations/{id}/integrity/{file}` for that scan.
struct IntegrityReplyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let nomination = routes.grouped(NominationRefusals())
        nomination.on(.POST, "nominations", ":nominationID", "integrity", body: .collect(maxSize: "21mb"), use: record)
            .bodyLimit(21 * 1024 * 1024)
        nomination.get("nominations", ":nominationID", "integrity", ":file", use: file)
    }

    struct Input: Content {
        var integrity_result: String?
        var integrity_note: String?
        var reply_date: String?
        var reply_scan: File?
    }

    @Sendable func record(req: Request) async throws -> Response {
        let loaded = try await NominationController.load(req, for: .integrity)
        let input = try req.content.decode(Input.self)
        var errors: [String: String] = [:]
        let result = input.integrity_result.flatMap(IntegrityResult.init(rawValue:))
        if result == nil { errors["integrity_result"] = "请选择纪检部门的答复：无意见、有问题或不宜推荐。" }
        let note = TextInput.block(input.integrity_note ?? "")
        if note.count > 1000 { errors["integrity_note"] = "说明最多 1000 字，现有 \(note.count) 字。" }
        if result != nil, result != .clear, note.isEmpty { errors["integrity_note"] = "答复为“有问题”或“不宜推荐”时，请摘录纪检部门的说明。" }
        let day = DayStamp(TextInput.halfWidth(TextInput.line(input.reply_date ?? "")))
        if day == nil { errors["reply_date"] = "请按 YYYY-MM-DD 填写答复日期。" }
        else if let day, day > DayStamp(req.now) { errors["reply_date"] = "答复日期不能晚于今天。" }
        else if let day, day < loaded.nomination.campaign.issued {
            errors["reply_date"] = "答复日期不能早于本次活动的发文日期（\(loaded.nomination.campaign.issued.chinese)）。"
        }
        var scanName: String?
        if let file = input.reply_scan, file.data.readableBytes > 0 {
            let data = Data(buffer: file.data)
            if let refusal = try await Self.refusal(of: data, name: TextInput.line(file.filename), req: req) {
                errors["reply_scan"] = refusal
            } else if errors.isEmpty, let kind = ScanReader.kind(of: data) {
                scanName = try UploadStore(app: req.application, kind: .integrity).store(data, extension: kind.fileExtension)
            }
        }
        guard errors.isEmpty, let result, let day else { throw TransitionError.invalid(errors) }
        let id = loaded.id
        try await NominationTransitions(req: req).recordIntegrity(id, .init(result: result, note: note, replyDate: day,
                                                                           scanFile: scanName))
        return req.redirect(to: "/nominations/\(id)?notice=integrity#integrity")
    }

    /// Why a reply's scan may not be kept, nil when it may: its kind by content; an image measured from its
    /// header before anything decodes it; a PDF through the same check as a 盖章扫描件's, a few at a time.
    static func refusal(of data: Data, name: String, what: String = "答复扫描件", req: Request) async throws -> String? {
        guard let kind = ScanReader.kind(of: data) else { return "\(what)须为 PDF、JPEG 或 PNG 文件（按内容判断）。" }
        guard kind == .pdf else {
            let fits = (try? PhotoCheck.inspect(data, maxBytes: nil)).map { PhotoCheck.fits($0.width, $0.height, within: ScanReader.maxImagePixels) }
            return fits == true ? nil : "\(what)无法读取或尺寸过大，请以 150–300 dpi 扫描后上传。"
        }
        let reader = req.application.scanReader, shown = String(name.prefix(100))
        do {
            return try await req.application.scanSlots.run {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-scan-reply-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let url = folder.appendingPathComponent("reply.pdf")
                try data.write(to: url)
                return await PDFUploadCheck.examine(data, at: url, name: shown, reader: reader).refusal
            }
        } catch is ServerBusy {
            return ServerBusy.message
        }
    }

    @Sendable func file(req: Request) async throws -> Response {
        let loaded = try await NominationController.load(req)
        // The reply is the alliance's own: a committee does not see it.
        guard loaded.context.relation.isAlliance else { throw Abort(.notFound) }
        let name = req.parameters.get("file") ?? ""
        guard try await IntegrityReply.query(on: req.db).filter(\.$nomination.$id == loaded.id)
            .filter(\.$scanFile == name).count() > 0,
              let data = try UploadStore(app: req.application, kind: .integrity).read(name) else { throw Abort(.notFound) }
        try await req.recordOutput("document.integrity_reply", objectType: "nomination", objectID: "\(loaded.id)",
                                   label: loaded.nomination.displayName, committeeID: loaded.nomination.$committee.id,
                                   changes: [FieldChange("file", old: nil, new: name)])
        return NominationController.inline(data, name: name)
    }
}
