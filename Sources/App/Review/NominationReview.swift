import Fluent
import Foundation
import SQLKit

/// A reviewer's note and recommendation on one nomination: one per reviewer, changed in place.
final class NominationReview: Model, @unchecked Sendable {
    static let schema = "nomination_reviews"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "nomination_id") var nomination: Nomination
    @Field(key: "reviewer_id") var reviewerID: Int
    @Field(key: "reviewer_name") var reviewerName: String
    /// `ReviewRecommendation`.
    @Field(key: "recommendation") var recommendation: String
    @Field(key: "note") var note: String
    @Field(key: "updated_at") var updatedAt: Date

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $nomination, $reviewerID, $reviewerName, $recommendation, $note, $updatedAt]
    }

    init() {}
}

/// 回避: a reviewer who must neither see nor review one committee's nominations.
final class ReviewerRecusal: Model, @unchecked Sendable {
    static let schema = "reviewer_recusals"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "committee_id") var committeeID: Int

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $userID, $committeeID]
    }

    init() {}

    init(userID: Int, committeeID: Int) {
        self.userID = userID
        self.committeeID = committeeID
    }

    /// The committees `userID` is recused from.
    static func committees(of userID: Int, on db: any Database) async throws -> Set<Int> {
        Set(try await query(on: db).filter(\.$userID == userID).all().map(\.committeeID))
    }
}

extension QueryBuilder {
    /// Leaves out the committees `user` is recused from (none for anyone but a recused reviewer).
    func hidingRecused(from user: CurrentUser, committee: KeyPath<Model, FieldProperty<Model, Int>>) -> Self {
        user.recusedCommittees.isEmpty ? self : filter(committee !~ Array(user.recusedCommittees))
    }
}

extension SQLSelectBuilder {
    /// The same for a statement, `committee` its committee column.
    @discardableResult
    func hidingRecused(from user: CurrentUser, committee: any SQLExpression) -> Self {
        user.recusedCommittees.isEmpty ? self : self.where(committee, .notIn, SQLBind.group(Array(user.recusedCommittees)))
    }
}

extension NominationReview: RowWritable {
    static let columns = ["nomination_id", "reviewer_id", "reviewer_name", "recommendation", "note", "updated_at"]

    var row: [any Encodable & Sendable] { [$nomination.id, reviewerID, reviewerName, recommendation, note, updatedAt] }
}
