import Fluent
import SQLKit

struct CreateNotification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Notification.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .field("dedupe_key", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The header's unread count and the list, newest first.
        try await sql.raw("CREATE INDEX notifications_user ON notifications (user_id, read_at, id)").run()
        // A reminder made by time (deadline in 3 days) is made once per person, however many instances sweep.
        try await sql.raw("""
            CREATE UNIQUE INDEX notifications_once ON notifications (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Notification.schema).delete()
    }
}
