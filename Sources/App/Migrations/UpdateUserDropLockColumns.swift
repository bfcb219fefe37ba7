import Fluent
import SQLKit

/// Failed sign-ins and locks are counted per account and address in `sign_in_attempts` (`SignInGuard`); the
/// per-account columns of the first version are no longer read or written.
struct UpdateUserDropLockColumns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE users DROP COLUMN failed_logins").run()
        try await sql.raw("ALTER TABLE users DROP COLUMN locked_until").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("failed_logins", .int, .required, .sql(.default(0)))
            .field("locked_until", .datetime)
            .update()
    }
}
