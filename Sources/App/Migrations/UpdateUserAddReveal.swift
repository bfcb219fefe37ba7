import Fluent
import SQLKit

/// A reviewer's reveal of full ID numbers and phones, granted by the administrator (`PersonalDataPolicy`).
/// Off for every existing account.
struct UpdateUserAddReveal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("reveal_personal_data", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE users DROP COLUMN reveal_personal_data").run()
    }
}
