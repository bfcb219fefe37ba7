import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// Word downloads: `GET /nominations/{id}/form.docx`, `GET /campaigns/{id}/quotas.docx`. Built off the event
/// loop, on the thread pool.
struct DocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("nominations", ":nominationID", "form.docx", use: form)
        routes.get("campaigns", ":campaignID", "quotas.docx", use: quotas)
        routes.get("campaigns", ":campaignID", "summary.xlsx", use: summary)
        routes.get("nominations", ":nominationID", "form.pdf", use: formPDF)
    }

    /// The form as PDF through LibreOffice; without it, a page that says so (Word still works).
    @Sendable func formPDF(req: Request) async throws -> Response {
        // Found and allowed first: another committee's id is 404 whether or not LibreOffice is installed.
        let (document, nomination) = try await formDocument(req)
        let converter = req.application.pdf
        guard converter.available else { throw Abort(.serviceUnavailable, reason: "pdf") }
        let docx = try await req.application.threadPool.runIfActive { try document.make() }
        let pdf = try await converter.convert(docx, fileExtension: "docx")
        try await recordFormDownload(nomination, document: document, req: req)
        return Download.response(pdf, filename: "\(nomination.categoryValue.formTitle)-\(nomination.displayName).pdf",
                                 contentType: "application/pdf")
    }

    /// 汇总表 of a campaign: the alliance gets every committee (`?by=committee` adds a sheet per committee),
    /// a committee its own rows. ID numbers and phones as `PersonalDataPolicy` says, on record either way.
    @Sendable func summary(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else { throw Abort(.notFound) }
        let rows = try await SummaryWorkbook.rows(campaignID: try campaign.requireID(), scope: .of(user, committee: nil),
                                                  secrets: req.application.secrets, on: req.db)
        let full = user.disclosure(.summary, committeeID: nil) == .full
        let workbook = SummaryWorkbook(title: SummaryWorkbook.title(of: campaign), rows: rows, fullPersonalData: full,
                                       sheetPerCommittee: req.queryValue("by") == "committee")
        try await req.recordOutput(full ? "document.summary_full" : "document.summary", objectType: "campaign",
                                   objectID: "\(try campaign.requireID())", label: campaign.documentNumber,
                                   committeeID: user.committeeID,
                                   changes: [FieldChange("rows", old: nil, new: "\(rows.count)")])
        // Written to a temporary file and streamed: a campaign's 汇总表 can be large.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("honors-summary-\(UUID().uuidString).xlsx")
        do {
            try await req.application.threadPool.runIfActive { try workbook.write(to: file) }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        let response: Response
        do {
            response = try await req.fileio.asyncStreamFile(at: file.path) { _ in
                try? FileManager.default.removeItem(at: file)
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        Download.label(response, filename: SummaryWorkbook.title(of: campaign) + ".xlsx", contentType: Download.xlsx)
        return response
    }

    private func formDocument(_ req: Request) async throws -> (FormDocument, Nomination) {
        let nomination = try await NominationController.load(req).nomination
        let disclosure = try req.requireUser().disclosure(.form, committeeID: nomination.$committee.id)
        guard disclosure != .refused else { throw Abort(.notFound) }
        return (try FormDocument(nomination, app: req.application, disclosure: disclosure), nomination)
    }

    /// The form carries the ID number and phone (in full or masked, as the policy says): every download is on record.
    private func recordFormDownload(_ nomination: Nomination, document: FormDocument, req: Request) async throws {
        try await req.recordOutput("document.form", objectType: "nomination", objectID: "\(try nomination.requireID())",
                                   label: nomination.displayName, committeeID: nomination.$committee.id,
                                   changes: [FieldChange("fingerprint", old: nil, new: document.fingerprint)])
    }

    @Sendable func form(req: Request) async throws -> Response {
        let (document, nomination) = try await formDocument(req)
        let data = try await req.application.threadPool.runIfActive { try document.make() }
        try await recordFormDownload(nomination, document: document, req: req)
        return Download.response(data, filename: "\(nomination.categoryValue.formTitle)-\(nomination.displayName).docx",
                                 contentType: Download.docx)
    }

    @Sendable func quotas(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else { throw Abort(.notFound) }
        let table = try await QuotaTable.load(campaignID: try campaign.requireID(), for: user, at: req.now, on: req.db)
        let data = try await req.application.threadPool.runIfActive { try QuotaDocument.make(campaign: campaign, table: table) }
        try await req.recordOutput("document.quotas", objectType: "campaign", objectID: "\(try campaign.requireID())",
                                   label: campaign.documentNumber, committeeID: user.committeeID)
        return Download.response(data, filename: "附件1 推荐名额指导性计划分配表（\(campaign.documentNumber)）.docx",
                                 contentType: Download.docx)
    }
}
