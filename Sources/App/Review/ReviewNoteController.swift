import Fluent
import Foundation
import HonorsCore
import Vapor

/// `POST /nominations/{id}/review`: a reviewer's recommendation (推荐 / 待定 / 不推荐) and note, one per
/// reviewer, changed in place. Internal to the alliance: the committee's history leaves it out.
struct ReviewNoteController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(NominationRefusals()).post("nominations", ":nominationID", "review", use: record)
    }

    struct Input: Content {
        var recommendation: String?
        var review_note: String?
    }

    @Sendable func record(req: Request) async throws -> Response {
        let loaded = try await NominationController.load(req, for: .review)
        let input = try req.content.decode(Input.self)
        var errors: [String: String] = [:]
        let recommendation = input.recommendation.flatMap(ReviewRecommendation.init(rawValue:))
        if recommendation == nil { errors["recommendation"] = "请选择推荐、待定或不推荐。" }
        let note = TextInput.block(input.review_note ?? "")
        if note.count > 2000 { errors["review_note"] = "评审意见最多 2000 字，现有 \(note.count) 字。" }
        guard errors.isEmpty, let recommendation else { throw TransitionError.invalid(errors) }
        let id = loaded.id
        try await NominationTransitions(req: req).recordReview(id, recommendation: recommendation, note: note)
        return req.redirect(to: "/nominations/\(id)?notice=reviewed#review")
    }
}
