import Fluent

struct CreateNominationReview: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NominationReview.schema)
            .field("id", .int, .identifier(auto: true))
            .field("nomination_id", .int, .required, .references(Nomination.schema, "id"))
            .field("reviewer_id", .int, .required, .references(User.schema, "id"))
            .field("reviewer_name", .string, .required)
            .field("recommendation", .string, .required)
            .field("note", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "nomination_id", "reviewer_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NominationReview.schema).delete()
    }
}
