import Fluent
import SQLKit

/// Who is doing a background job, and until when: `leases` for the one-of-a-kind jobs (re-sealing after a
/// key rotation), and a claim on each package job. An instance that dies leaves its claim to run out, and
/// another instance takes the job over.
struct CreateJobLease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("leases")
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("until", .datetime, .required)
            .create()
        // One column per ALTER TABLE: SQLite adds no more at once.
        try await database.schema(PackageJob.schema).field("claimed_by", .string).update()
        try await database.schema(PackageJob.schema).field("lease_until", .datetime).update()
        try await database.schema(PackageJob.schema).field("attempts", .int, .required, .sql(.default(0))).update()
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX package_jobs_waiting ON package_jobs (state, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX package_jobs_waiting").run()
        for column in ["attempts", "lease_until", "claimed_by"] {
            try await database.schema(PackageJob.schema).deleteField(FieldKey(stringLiteral: column)).update()
        }
        try await database.schema("leases").delete()
    }
}
