import Fluent

struct CreateReviewerRecusal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReviewerRecusal.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("committee_id", .int, .required, .references(Committee.schema, "id"))
            .unique(on: "user_id", "committee_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReviewerRecusal.schema).delete()
    }
}
