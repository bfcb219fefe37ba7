import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /campaigns/{id}/composition`: the campaign's shape for administrators and reviewers, filterable by
/// committee and category, printable; `…/composition.xlsx` the same figures as a workbook.
struct CompositionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let campaign = routes.grouped("campaigns", ":campaignID")
        campaign.get("composition", use: show)
        campaign.get("composition.xlsx", use: workbook)
    }

    private func report(_ req: Request) async throws -> (CampaignHeader, CompositionReport) {
        let user = try req.requireUser()
        guard let campaign = try await req.reference.campaign(req.intParameter("campaignID")) else { throw Abort(.notFound) }
        return (campaign, try await CompositionReport.load(campaign, filters: .init(req), for: user, quotas: try await req.reference.quotas(campaignID: campaign.id),
                                                           directory: try await req.reference.committees(), on: req.db))
    }

    @Sendable func show(req: Request) async throws -> View {
        let (campaign, report) = try await report(req)
        let options = report.available.map { SelectOption(id: $0.id, label: $0.name, selected: report.filters.committee.map { "\($0)" }) }
        return try await req.page(title: "推荐构成分析", CompositionView(
            report, campaign: CampaignController.summary(campaign, now: req.now), committeeOptions: options).html)
    }

    @Sendable func workbook(req: Request) async throws -> Response {
        let (campaign, report) = try await report(req)
        let workbook = CompositionWorkbook.make(report, documentNumber: campaign.documentNumber)
        let data = try await req.application.threadPool.runIfActive { try workbook.xlsxData() }
        try await req.recordOutput("document.composition", objectType: "campaign", objectID: "\(report.campaignID)",
                                   label: campaign.documentNumber, changes: [FieldChange("scope", old: nil, new: report.scope)])
        return Download.response(data, filename: CompositionWorkbook.title(campaign.documentNumber, report) + ".xlsx",
                                 contentType: Download.xlsx)
    }
}
