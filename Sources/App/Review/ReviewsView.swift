import Fluent
import Foundation
import HonorsCore
import SQLKit

/// Reviewers' notes on a nomination's page: the administrator sees them all, a reviewer their own (so each
/// judges for themselves). A committee sees none.
struct ReviewsView {
    struct Row {
        let reviewer: String
        let recommendation: String
        let recommendationLabel: String
        let note: String
        let at: String
    }

    let rows: [Row]
    var hasRows: Bool { !rows.isEmpty }
    let mine: Row?
    let recommendations: [SelectOption]

    static func load(_ nomination: Nomination, for user: CurrentUser, on db: any Database) async throws -> ReviewsView {
        let query = (db as! any SQLDatabase).select().columns("reviewer_name", "recommendation", "note", "updated_at")
            .from(NominationReview.schema).where("nomination_id", .equal, SQLBind(try nomination.requireID()))
        if user.role != .admin { query.where("reviewer_id", .equal, SQLBind(user.id)) }
        let rows = try await query.orderBy("updated_at", .descending).all().map { row in
            let recommendation = try row.decode(column: "recommendation", as: String.self)
            return Row(reviewer: try row.decode(column: "reviewer_name", as: String.self), recommendation: recommendation,
                       recommendationLabel: ReviewRecommendation(rawValue: recommendation)?.label ?? recommendation,
                       note: try row.decode(column: "note", as: String.self),
                       at: DateFormatting.minute(try row.decode(column: "updated_at", as: Date.self)))
        }
        let mine = user.role == .reviewer ? rows.first : nil
        return ReviewsView(rows: rows, mine: mine, recommendations: ReviewRecommendation.allCases.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == mine?.recommendation)
        })
    }
}
