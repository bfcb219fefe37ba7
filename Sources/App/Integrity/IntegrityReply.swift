import Fluent
import Foundation

/// One reply of the discipline inspection side on one nominee (征求纪检意见). The latest counts; it is
/// also kept on the nomination (`integrity_result`) for the queue and the approval check.
final class IntegrityReply: Model, @unchecked Sendable {
    static let schema = "integrity_replies"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "nomination_id") var nomination: Nomination
    /// `IntegrityResult`.
    @Field(key: "result") var result: String
    @Field(key: "note") var note: String
    /// The day of the reply letter, YYYY-MM-DD.
    @Field(key: "reply_date") var replyDate: String
    /// The reply letter's scan, stored like the other uploads.
    @OptionalField(key: "scan_file") var scanFile: String?
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_at") var recordedAt: Date

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $nomination, $result, $note, $replyDate, $scanFile, $recordedBy, $recordedAt]
    }

    init() {}
}

extension IntegrityReply: RowWritable {
    static let columns = ["nomination_id", "result", "note", "reply_date", "scan_file", "recorded_by", "recorded_at"]

    var row: [any Encodable & Sendable] { [$nomination.id, result, note, replyDate, scanFile, recordedBy, recordedAt] }
}
