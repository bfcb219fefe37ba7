import Fluent
import Foundation
import HonorsCore

extension NominationTransitions {
    struct IntegrityInput: Sendable {
        var result: IntegrityResult
        var note: String
        var replyDate: DayStamp
        /// The reply letter's scan, already stored.
        var scanFile: String?
    }

    /// Records a 纪检 reply; the latest also stands on the nomination for the queue and the approval check.
    /// It changes neither data nor state, so the version is left alone.
    func recordIntegrity(_ id: Int, _ input: IntegrityInput, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.integrity, to: id, expectedVersion: nil, in: db) { step in
            let reply = IntegrityReply()
            reply.$nomination.id = id
            reply.result = input.result.rawValue
            reply.note = input.note
            reply.replyDate = input.replyDate.description
            reply.scanFile = input.scanFile
            reply.recordedBy = user.username
            reply.recordedAt = now
            try await reply.create(on: step.db)
            let old = step.nomination.integrityResult
            step.nomination.integrityResult = input.result.rawValue
            return Effect(changes: [FieldChange("integrity_result", old: old, new: input.result.rawValue),
                                    FieldChange("integrity_note", old: nil, new: input.note),
                                    FieldChange("reply_date", old: nil, new: input.replyDate.description),
                                    FieldChange("reply_scan", old: nil, new: input.scanFile)])
        }
    }

    /// A reviewer's recommendation and note, one per reviewer, changed in place.
    func recordReview(_ id: Int, recommendation: ReviewRecommendation, note: String, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.review, to: id, expectedVersion: nil, in: db) { step in
            let review = try await NominationReview.query(on: step.db).filter(\.$nomination.$id == id)
                .filter(\.$reviewerID == user.id).first() ?? NominationReview()
            let old = review.id == nil ? nil : ReviewRecommendation(rawValue: review.recommendation)?.label
            review.$nomination.id = id
            review.reviewerID = user.id
            review.reviewerName = user.displayName
            review.recommendation = recommendation.rawValue
            review.note = note
            review.updatedAt = now
            try await review.save(on: step.db)
            return Effect(changes: [FieldChange("recommendation", old: old, new: recommendation.label),
                                    FieldChange("review_note", old: nil, new: note)])
        }
    }
}
