import Fluent
import Foundation

/// One line of the audit trail. Rows are only ever inserted: triggers in the database refuse updates and
/// deletes, so the trail holds even against a mistaken query.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "actor_id") var actorID: Int?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "actor_role") var actorRole: String
    @Field(key: "action") var action: String
    @Field(key: "object_type") var objectType: String
    @OptionalField(key: "object_id") var objectID: String?
    @Field(key: "object_label") var objectLabel: String
    @OptionalField(key: "committee_id") var committeeID: Int?
    /// JSON array of `{"field","old","new"}`, sensitive values already masked.
    @Field(key: "changes") var changes: String
    @Field(key: "address") var address: String

    init() {}

    /// `changes` read back.
    var fieldChanges: [FieldChange] {
        (try? JSONDecoder().decode([FieldChange].self, from: Data(changes.utf8))) ?? []
    }
}
