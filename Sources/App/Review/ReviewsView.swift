import Fluent
import Foundation
import HonorsCore

/// Reviewers' notes on a nomination's page: the administrator sees them all, a reviewer their own (so each
/// judges for themselves). A committee sees none.
struct ReviewsView: Encodable {
    struct Row: Encodable {
        let reviewer: String
        let recommendation: String
        let recommendationLabel: String
        let note: String
        let at: String
    }

    let rows: [Row]
    let hasRows: Bool
    let mine: Row?
    let recommendations: [SelectOption]

    static func load(_ nomination: Nomination, for user: CurrentUser, on db: any Database) async throws -> ReviewsView {
        var query = NominationReview.query(on: db).filter(\.$nomination.$id == (try nomination.requireID())).sort(\.$updatedAt, .descending)
        if user.role != .admin { query = query.filter(\.$reviewerID == user.id) }
        let rows = try await query.all().map { review in
            Row(reviewer: review.reviewerName, recommendation: review.recommendation,
                recommendationLabel: ReviewRecommendation(rawValue: review.recommendation)?.label ?? review.recommendation,
                note: review.note, at: DateFormatting.minute(review.updatedAt))
        }
        let mine = user.role == .reviewer ? rows.first : nil
        return ReviewsView(rows: rows, hasRows: !rows.isEmpty, mine: mine, recommendations: ReviewRecommendation.allCases.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == mine?.recommendation)
        })
    }
}
