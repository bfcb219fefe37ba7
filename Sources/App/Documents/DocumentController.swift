import Fluent
import Foundation
import HonorsCore
import Vapor

/// Word downloads: `GET /nominations/{id}/form.docx`, `GET /campaigns/{id}/quotas.docx`. Built off the event
/// loop, on the thread pool.
struct DocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("nominations", ":nominationID", "form.docx", use: form)
        routes.get("campaigns", ":campaignID", "quotas.docx", use: quotas)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let nomination = try await NominationController.load(req)
        let input = try NominationService(req: req).storedInput(nomination)
        let photo = try nomination.photoFile.flatMap { try PhotoStore(app: req.application).read($0) }
        let document = FormDocument(category: nomination.categoryValue, values: input.values, photo: photo,
                                    nominationID: try nomination.requireID(), version: nomination.version)
        let data = try await req.application.threadPool.runIfActive { try document.make() }
        // The form carries the full ID number and phone: every download is on record.
        let actor = req.actor, now = req.now
        try await req.write { db in
            try await Audit.record(on: db, actor: actor, action: "document.form", objectType: "nomination",
                                   objectID: "\(nomination.id!)", objectLabel: nomination.displayName,
                                   committeeID: nomination.$committee.id,
                                   changes: [FieldChange("fingerprint", old: nil, new: document.fingerprint)], at: now)
        }
        return Download.response(data, filename: "\(nomination.categoryValue.formTitle)-\(nomination.displayName).docx",
                                 contentType: Download.docx)
    }

    @Sendable func quotas(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else { throw Abort(.notFound) }
        let table = try await QuotaTable.load(campaignID: try campaign.requireID(), for: user, on: req.db)
        let data = try await req.application.threadPool.runIfActive { try QuotaDocument.make(campaign: campaign, table: table) }
        return Download.response(data, filename: "附件1 推荐名额指导性计划分配表（\(campaign.documentNumber)）.docx",
                                 contentType: Download.docx)
    }
}
