import Fluent
import Foundation
import Vapor

/// `GET /`: the campaign open now (or the latest), its quota table as the user may see it, and the others a
/// click away.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: dashboard)
    }

    struct DashboardView {
        let campaign: CampaignController.Summary?
        let quotas: QuotaTable?
        let others: [CampaignController.Summary]
        let committeeName: String?
        let canNominate: Bool
        let overview: ReviewOverview?
    }

    @Sendable func dashboard(req: Request) async throws -> View {
        let user = try req.requireUser()
        let now = req.now
        let recent = try await req.reference.recentCampaigns()
        let current = CampaignHeader.current(among: recent, now: now)
        var table: QuotaTable?, overview: ReviewOverview?
        if let current {
            // The administrator's overview is built from the same committees and quotas as the table.
            let sheet = try await req.reference.quotaSheet(campaignID: current.id, for: user)
            table = try await QuotaTable.load(sheet, at: now, on: req.db)
            if user.isAdmin { overview = try await ReviewOverview.load(sheet, on: req.db) }
        }
        let committeeName = try await user.committeeID.asyncMap { try await req.reference.committees().names[$0] } ?? nil
        let open = user.role == .committee
            ? try await NominationController.openCampaign(on: req.db, now: now, committeeID: user.committeeID) : nil
        let others = recent.filter { $0.id != current?.id }.map { CampaignController.summary($0, now: now) }
        return try await req.page(title: "工作台", DashboardView(
            campaign: current.map { CampaignController.summary($0, now: now) }, quotas: table,
            others: others, committeeName: committeeName, canNominate: open != nil && open?.id == current?.id,
            overview: overview).html)
    }
}
