import Fluent
import Foundation
import HonorsCore

/// One year's holiday arrangement (放假 and 调休上班) as the administrator entered it, in the form codes.md
/// writes it. The working-day calendar is these rows; a year without a row is not guessed.
final class CalendarYear: Model, @unchecked Sendable {
    static let schema = "calendar_years"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Field(key: "year") var year: Int
    @Field(key: "rest_days") var restDays: String
    @Field(key: "make_up_days") var makeUpDays: String

    init() {}

    init(_ arrangement: WorkingCalendar.Arrangement) {
        version = 1
        year = arrangement.year
        restDays = arrangement.restText
        makeUpDays = arrangement.makeUpText
    }

    var arrangement: WorkingCalendar.Arrangement? {
        try? WorkingCalendar.Arrangement.parse(year: year, rest: restDays, makeUp: makeUpDays).get()
    }
}

extension WorkingCalendar {
    /// The calendar of every year the administrator's table holds (a few rows).
    static func load(on db: any Database) async throws -> WorkingCalendar {
        WorkingCalendar(try await CalendarYear.query(on: db).all().compactMap(\.arrangement))
    }
}
