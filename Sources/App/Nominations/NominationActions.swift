import Crypto
import Fluent
import Foundation
import HonorsCore
import Vapor

/// 上报, 撤回 and the photo.
extension NominationController.Entry {
    struct SubmitInput: Content {
        var committee_opinion: String?
        var committee_signer: String?
        var committee_opinion_date: String?
        var version: Int?
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let nomination = try await loadEditableForAction(req)
        let input = try req.content.decode(SubmitInput.self)
        let opinion = NominationService.Opinion(text: input.committee_opinion ?? "", signer: input.committee_signer ?? "",
                                                date: input.committee_opinion_date ?? "")
        let typed = ["committee_opinion": opinion.text, "committee_signer": opinion.signer,
                     "committee_opinion_date": opinion.date]
        let service = try NominationService(req: req)
        let outcome = try await service.submit(nomination, campaign: nomination.campaign, opinion: opinion,
                                               expectedVersion: input.version ?? -1)
        let errors: [String: String]
        switch outcome {
        case .submitted:
            return req.redirect(to: "/nominations/\(nomination.id!)?notice=submitted")
        case .refused(let refused):
            errors = refused
        case .quotaFull(let used, let limit):
            errors = ["form": "本党委\(nomination.categoryValue.label)的名额已用完（已上报 \(used) / 可报 \(limit)），不能再上报。如确有特别优秀的推荐对象，可向联盟提出超额申请（见“超额申请”页面），获批后即可上报。", "quotaRequest": nomination.category]
        case .stale:
            errors = ["form": "此推荐刚刚被他人修改或上报，请查看最新内容后再操作。"]
        }
        let view = try await NominationController.showView(nomination, req: req, opinion: typed, errors: errors)
        return try await req.page("nomination", title: nomination.displayName, view, status: .unprocessableEntity)
    }

    struct VersionInput: Content {
        var version: Int?
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let nomination = try await loadEditableForAction(req)
        let version = try req.content.decode(VersionInput.self).version ?? -1
        guard try await NominationService(req: req).withdraw(nomination, expectedVersion: version) else {
            let view = try await NominationController.showView(nomination, req: req,
                                                               errors: ["form": "此推荐当前不能撤回（可能已被撤回或联盟已作出决定）。"])
            return try await req.page("nomination", title: nomination.displayName, view, status: .conflict)
        }
        return req.redirect(to: "/nominations/\(nomination.id!)?notice=withdrawn")
    }

    private func loadEditableForAction(_ req: Request) async throws -> Nomination {
        let nomination = try await NominationController.load(req)
        guard try req.requireUser().committeeID == nomination.$committee.id else { throw Abort(.forbidden) }
        return nomination
    }

    struct PhotoInput: Content {
        var photo: File?
    }

    @Sendable func uploadPhoto(req: Request) async throws -> Response {
        let nomination = try await loadEditableForAction(req)
        guard nomination.stateValue.isEditableByCommittee, nomination.categoryValue.isPerson else { throw Abort(.forbidden) }
        let data = Data(buffer: try req.content.decode(PhotoInput.self).photo?.data ?? ByteBuffer())
        let (info, issues) = PhotoCheck.check(data)
        guard let info, !issues.hasErrors else {
            let message = issues.filter(\.isError).map(\.message).first ?? "请上传 JPEG 或 PNG 格式的照片。"
            let view = try await NominationController.showView(nomination, req: req, errors: ["photo": message])
            return try await req.page("nomination", title: nomination.displayName, view, status: .unprocessableEntity)
        }
        let name = try PhotoStore(app: req.application).store(data, extension: info.format.fileExtension)
        let id = try nomination.requireID()
        let actor = req.actor, now = req.now, old = nomination.photoFile
        try await req.write { db in
            try await Nomination.query(on: db).filter(\.$id == id).set(\.$photoFile, to: name).update()
            try await Audit.record(on: db, actor: actor, action: "nomination.photo", objectType: "nomination",
                                   objectID: "\(id)", objectLabel: nomination.displayName,
                                   committeeID: nomination.$committee.id,
                                   changes: [FieldChange("photo", old: old, new: name)], at: now)
        }
        return req.redirect(to: "/nominations/\(id)?notice=photo")
    }
}

extension NominationController {
    @Sendable func photo(req: Request) async throws -> Response {
        let nomination = try await Self.load(req)
        guard let name = nomination.photoFile,
              let data = try PhotoStore(app: req.application).read(name) else { throw Abort(.notFound) }
        let type: HTTPMediaType = name.hasSuffix(".png") ? .png : .jpeg
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

/// Uploaded files, stored outside `Public/` under their content hash: a name nobody chooses and the same
/// file stored once.
struct PhotoStore {
    let app: Application

    var folder: String { app.honors.dataDirectory + "/uploads" }

    func store(_ data: Data, extension ext: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() + "." + ext
        let path = folder + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        return name
    }

    func read(_ name: String) throws -> Data? {
        // Names are ours (64 hex digits and an extension); anything else is not looked up.
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit),
              ["jpg", "png"].contains(parts[1]) else { return nil }
        return FileManager.default.contents(atPath: folder + "/" + name)
    }
}
