import Fluent
import Foundation
import HonorsCore
import NIOConcurrencyHelpers
import SQLKit

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
    /// The calendar of every year the administrator's table holds (a few rows). Parsing the typed lists costs
    /// more than reading them, and pages that offer a 补正期限 ask on every request: the calendar last built is
    /// kept with the texts it was built from and reused while the rows read the same.
    static func load(on db: any Database) async throws -> WorkingCalendar {
        let rows = try await (db as! any SQLDatabase).select().columns("year", "rest_days", "make_up_days")
            .from(CalendarYear.schema).orderBy("year").all()
        let texts = try rows.map { row in
            CalendarText(year: try row.decode(column: "year", as: Int.self), rest: try row.decode(column: "rest_days", as: String.self),
                         makeUp: try row.decode(column: "make_up_days", as: String.self))
        }
        if let kept = lastBuilt.withLockedValue({ $0 }), kept.texts == texts { return kept.calendar }
        let calendar = WorkingCalendar(texts.compactMap { try? Arrangement.parse(year: $0.year, rest: $0.rest, makeUp: $0.makeUp).get() })
        lastBuilt.withLockedValue { $0 = (texts, calendar) }
        return calendar
    }

    private struct CalendarText: Equatable, Sendable {
        let year: Int
        let rest: String
        let makeUp: String
    }

    private static let lastBuilt = NIOLockedValueBox<(texts: [CalendarText], calendar: WorkingCalendar)?>(nil)
}
