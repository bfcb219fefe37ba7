import Fluent
import Foundation

/// A message inside Honors for one person: a return, a decision, a deadline coming.
final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    /// `NotificationKind`.
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// Where the message leads (a nomination, the quota requests).
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    /// For reminders made by time: the same reminder is made once per person.
    @OptionalField(key: "dedupe_key") var dedupeKey: String?

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $userID, $kind, $title, $body, $link, $createdAt, $readAt, $dedupeKey]
    }

    init() {}
}
