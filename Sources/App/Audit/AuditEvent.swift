import Fluent
import Foundation

/// One line of the audit trail. Rows are only ever inserted: triggers in the database refuse updates and
/// deletes, so the trail holds even against a mistaken query; and each row is chained to the one before by
/// its hash, so a row changed, removed or slipped in by someone with access to the database shows.
final class AuditEvent: Model, RowWritable, @unchecked Sendable {
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

    // The chain (`AuditChain`)
    /// Place in the chain: 1, 2, 3, … without gaps.
    @OptionalField(key: "seq") var seq: Int?
    /// The hash of the event before (`AuditChain.genesis` for the first).
    @OptionalField(key: "prev_hash") var prevHash: String?
    /// SHA-256 over this event's canonical content and `prev_hash`.
    @OptionalField(key: "hash") var hash: String?

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $occurredAt, $actorID, $actorName, $actorRole, $action, $objectType, $objectID, $objectLabel,
         $committeeID, $changes, $address, $seq, $prevHash, $hash]
    }

    init() {}

    static let columns = ["occurred_at", "actor_id", "actor_name", "actor_role", "action", "object_type", "object_id",
                          "object_label", "committee_id", "changes", "address", "seq", "prev_hash", "hash"]

    var row: [any Encodable & Sendable] {
        [occurredAt, actorID, actorName, actorRole, action, objectType, objectID, objectLabel, committeeID, changes, address,
         seq, prevHash, hash]
    }

    /// `changes` read back.
    var fieldChanges: [FieldChange] {
        FieldChange.decoded(changes)
    }
}
