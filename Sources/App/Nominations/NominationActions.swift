import Fluent
import Foundation
import HonorsCore
import Vapor

/// 上报, 撤回 and the photo: each through `NominationTransitions.apply`, which asks the workflow on the fresh
/// row; a refusal, a stale version or a missing condition comes back as the page with the reason.
extension NominationController {
    struct VersionInput: Content {
        var version: Int?
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let loaded = try await Self.load(req, for: .submit)
        let version = try req.content.decode(VersionInput.self).version ?? -1
        try await NominationTransitions(req: req).submit(loaded.id, expectedVersion: version)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=submitted")
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let loaded = try await Self.load(req, for: .withdraw)
        let version = try req.content.decode(VersionInput.self).version ?? -1
        try await NominationTransitions(req: req).withdraw(loaded.id, expectedVersion: version)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=withdrawn")
    }

    struct PhotoInput: Content {
        var photo: File?
        var version: Int?
    }

    /// A new photo is a change of the printed form: the version moves on and the fingerprint with it.
    @Sendable func uploadPhoto(req: Request) async throws -> Response {
        let loaded = try await Self.load(req, for: .photo)
        let nomination = loaded.nomination
        guard nomination.categoryValue.isPerson else { throw Abort(.notFound) }
        let input = try req.content.decode(PhotoInput.self)
        let data = Data(buffer: input.photo?.data ?? ByteBuffer())
        let (info, issues) = PhotoCheck.check(data)
        guard let info, !issues.hasErrors else {
            throw TransitionError.invalid(["photo": issues.filter(\.isError).map(\.message).first ?? "请上传 JPEG 或 PNG 格式的照片。"])
        }
        let name = try UploadStore(app: req.application, kind: .photo).store(data, extension: info.format.fileExtension)
        let service = try NominationService(req: req)
        try await service.transitions.apply(.photo, to: loaded.id, expectedVersion: input.version ?? nomination.version) { step in
            // The fingerprint of the row as it is inside the write, with the new photo.
            let row = step.nomination, old = row.photoFile
            row.photoFile = name
            row.refingerprint(values: try service.storedInput(row).values)
            return .init(changes: [FieldChange("photo", old: old, new: name)])
        }
        return req.redirect(to: "/nominations/\(loaded.id)?notice=photo")
    }

    @Sendable func photo(req: Request) async throws -> Response {
        let nomination = try await Self.load(req).nomination
        guard let name = nomination.photoFile,
              let data = try UploadStore(app: req.application, kind: .photo).read(name) else { throw Abort(.notFound) }
        return Self.inline(data, name: name)
    }

    /// A stored file shown in the browser, never cached.
    static func inline(_ data: Data, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = UploadStore.mediaType(of: name)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
