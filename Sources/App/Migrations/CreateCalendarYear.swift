import Fluent
import HonorsCore

/// The administrator's holiday table, seeded with the published arrangements of 2024–2026.
struct CreateCalendarYear: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarYear.schema)
            .field("id", .int, .identifier(auto: true))
            .field("version", .int, .required)
            .field("year", .int, .required)
            .field("rest_days", .string, .required)
            .field("make_up_days", .string, .required)
            .unique(on: "year")
            .create()
        for arrangement in WorkingCalendar.published {
            try await CalendarYear(arrangement).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarYear.schema).delete()
    }
}
