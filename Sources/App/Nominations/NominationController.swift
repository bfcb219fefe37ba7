import Fluent
import Foundation
import HonorsCore
import Vapor

/// Nomination pages and the committee's actions on them. Who may do what is not decided here: every
/// handler asks `NominationWorkflow` (through `load` and `NominationTransitions.apply`), so the routes of
/// this collection sit in the signed-in group and the workflow answers 404, 403 or the reason.
struct NominationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("nominations", use: list)
        let routes = routes.grouped(NominationRefusals())
        routes.get("nominations", ":nominationID", use: show)
        routes.get("nominations", ":nominationID", "photo", use: photo)
        routes.get("nominations", ":nominationID", "history", use: history)
        routes.get("nominations", ":nominationID", "edit", use: editForm)
        routes.post("nominations", ":nominationID", use: update)
        routes.post("nominations", ":nominationID", "submit", use: submit)
        routes.post("nominations", ":nominationID", "withdraw", use: withdraw)
        routes.on(.POST, "nominations", ":nominationID", "photo", body: .collect(maxSize: "6mb"), use: uploadPhoto)
            .bodyLimit(6 * 1024 * 1024)
    }

    /// Starting a nomination: committee operators, registered behind `RequireRole(.committee)`.
    struct Entry: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("nominations", "new", use: newForm)
            routes.post("nominations", use: create)
        }
    }

    /// A nomination as the workflow sees it for this request: the row (with campaign and committee), the
    /// campaign's deadlines and the context every question about it is asked in.
    struct Loaded: @unchecked Sendable {
        let nomination: Nomination
        let deadlines: CampaignDeadlines
        let context: WorkflowContext

        var id: Int { nomination.id! }
        func decide(_ action: NominationAction) -> NominationWorkflow.Decision { NominationWorkflow.decide(action, context) }
        func allows(_ action: NominationAction) -> Bool { decide(action).isAllowed }
    }

    /// Loads a nomination the user may see: another committee's, a recused reviewer's and a draft the
    /// alliance has not received are "not found".
    static func load(_ req: Request) async throws -> Loaded {
        try await load(req.intParameter("nominationID"), req: req)
    }

    /// The same for a number given otherwise (the API's path).
    static func load(_ id: Int, req: Request) async throws -> Loaded {
        let user = try req.requireUser()
        guard let (nomination, campaign) = try await req.db.model(Nomination.self, id: id, with: Campaign.self, on: "campaign_id")
        else { throw Abort(.notFound) }
        guard let committee = try await req.reference.committee(nomination.$committee.id) else { throw Abort(.internalServerError) }
        nomination.$campaign.value = campaign
        nomination.$committee.value = committee
        // A page's check; a change decides again from what its transaction reads (`NominationTransitions`).
        let deadlines = try await req.reference.deadlines(campaignID: campaign.requireID(), days: campaign.days)
        let context = WorkflowSubject(nomination).context(for: user, deadlines: deadlines, now: req.now)
        guard NominationWorkflow.allows(.view, context) else { throw Abort(.notFound) }
        return Loaded(nomination: nomination, deadlines: deadlines, context: context)
    }

    /// Loads for `action`: refused actions answer as the workflow says (404, 403, or the page with the reason).
    static func load(_ req: Request, for action: NominationAction) async throws -> Loaded {
        try await load(req.intParameter("nominationID"), req: req, for: action)
    }

    static func load(_ id: Int, req: Request, for action: NominationAction) async throws -> Loaded {
        let loaded = try await load(id, req: req)
        if let refusal = loaded.decide(action).refusal { throw TransitionError.refused(refusal) }
        return loaded
    }

    /// The campaign taking this committee's nominations now (its deadline extended for it, if so), if any.
    static func openCampaign(on db: any Database, now: Date, committeeID: Int?) async throws -> Campaign? {
        let recent = try await Campaign.query(on: db).sort(\.$issuedOn, .descending).limit(20).all()
        for campaign in recent where campaign.issued.start <= now && campaign.closedAt == nil {
            let lastDay = try await CampaignDeadlines.load(campaign, on: db).lastDay(for: committeeID ?? 0)
            if now < lastDay.end { return campaign }
        }
        return nil
    }
}
