import Fluent

struct CreatePackageJob: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PackageJob.schema)
            .field("id", .int, .identifier(auto: true))
            .field("created_at", .datetime)
            .field("updated_at", .datetime, .required)
            .field("campaign_id", .int, .required, .references(Campaign.schema, "id"))
            .field("committee_id", .int, .references(Committee.schema, "id"))
            .field("requested_by", .string, .required)
            .field("with_pdf", .bool, .required)
            .field("full_personal_data", .bool, .required)
            .field("state", .string, .required)
            .field("done", .int, .required)
            .field("total", .int, .required)
            .field("file_size", .int)
            .field("note", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PackageJob.schema).delete()
    }
}
