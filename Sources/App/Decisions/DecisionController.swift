import Fluent
import Foundation
import HonorsCore
import Vapor

/// The alliance's decisions on one nomination: `POST /nominations/{id}/return` (`reason`, `fix_by`),
/// `/approve` (`alliance_opinion`, `alliance_opinion_date`, optional `deeds_summary`), `/reject` (`reason`), `/revert` (`reason`).
/// Each carries `version`; the workflow decides who may, `NominationRefusals` shows why not.
struct DecisionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let nomination = routes.grouped(NominationRefusals())
        nomination.post("nominations", ":nominationID", "return", use: sendBack)
        nomination.post("nominations", ":nominationID", "approve", use: approve)
        nomination.post("nominations", ":nominationID", "reject", use: reject)
        nomination.post("nominations", ":nominationID", "revert", use: revert)
    }

    struct Input: Content {
        var version: Int?
        var reason: String?
        var fix_by: String?
        var alliance_opinion: String?
        var alliance_opinion_date: String?
        var deeds_summary: String?
    }

    /// The nomination, refused as the workflow says before the input is even read.
    private func prepare(_ req: Request, _ action: NominationAction) async throws -> (NominationController.Loaded, Input) {
        let loaded = try await NominationController.load(req, for: action)
        return (loaded, try req.content.decode(Input.self))
    }

    @Sendable func sendBack(req: Request) async throws -> Response {
        let (loaded, input) = try await prepare(req, .return)
        let checked = try NominationTransitions.returnInput(reason: input.reason, fixBy: input.fix_by, today: DayStamp(req.now),
                                                                   calendar: try await WorkingCalendar.load(on: req.db)).get()
        try await NominationTransitions(req: req).sendBack(loaded.id, expectedVersion: input.version ?? -1, checked)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=returned")
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let (loaded, input) = try await prepare(req, .approve)
        let checked = try NominationTransitions.approveInput(opinion: input.alliance_opinion, date: input.alliance_opinion_date,
                                                             summary: input.deeds_summary, today: DayStamp(req.now)).get()
        try await NominationTransitions(req: req).approve(loaded.id, expectedVersion: input.version ?? -1, checked)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=approved")
    }

    @Sendable func reject(req: Request) async throws -> Response {
        let (loaded, input) = try await prepare(req, .reject)
        let reason = try NominationTransitions.reasonInput(input.reason, what: "不予通过", errorKey: "reject_reason").get()
        try await NominationTransitions(req: req).reject(loaded.id, expectedVersion: input.version ?? -1, reason: reason)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=rejected")
    }

    @Sendable func revert(req: Request) async throws -> Response {
        let (loaded, input) = try await prepare(req, .revert)
        let reason = try NominationTransitions.reasonInput(input.reason, what: "撤销决定", errorKey: "revert_reason").get()
        try await NominationTransitions(req: req).revert(loaded.id, expectedVersion: input.version ?? -1, reason: reason)
        return req.redirect(to: "/nominations/\(loaded.id)?notice=reverted")
    }
}
