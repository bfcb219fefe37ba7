import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET/POST /admin/calendar`: the administrator's table of holiday arrangements, one row per year, which
/// counts every 公示 and 补正期限 in working days. Each November the 国务院办公厅 publishes the next year's: it is
/// entered here, on record.
struct CalendarController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "calendar", use: page)
        routes.post("admin", "calendar", use: save)
    }

    struct Row: Encodable {
        let year: Int
        let rest_days: String
        let make_up_days: String
        let version: Int
    }

    struct PageView: Encodable {
        var rows: [Row]
        var form: [String: String]
        var errors: [String: String] = [:]
        var notice: String?
    }

    @Sendable func page(req: Request) async throws -> Response {
        let rows = try await Self.rows(on: req.db)
        // The next year to enter: after the last one there is.
        let next = (rows.map(\.year).max() ?? DayStamp(req.now).year) + 1
        var form = ["year": "\(next)", "rest_days": "", "make_up_days": "", "version": "0"]
        if let year = req.queryInt("year"), let row = rows.first(where: { $0.year == year }) {
            form = ["year": "\(row.year)", "rest_days": row.rest_days, "make_up_days": row.make_up_days, "version": "\(row.version)"]
        }
        let notice = req.queryValue("saved").map { "已保存 \($0) 年的节假日安排。" }
        return try await req.page("calendar", title: "节假日安排", PageView(rows: rows, form: form, notice: notice)).encodeResponse(for: req)
    }

    static func rows(on db: any Database) async throws -> [Row] {
        try await CalendarYear.query(on: db).sort(\.$year).all().map {
            Row(year: $0.year, rest_days: $0.restDays, make_up_days: $0.makeUpDays, version: $0.version)
        }
    }

    struct Input: Content {
        var year: String?
        var rest_days: String?
        var make_up_days: String?
        var version: String?
    }

    @Sendable func save(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        var form = ["year": TextInput.halfWidth(TextInput.line(input.year ?? "")), "rest_days": TextInput.block(input.rest_days ?? ""),
                    "make_up_days": TextInput.block(input.make_up_days ?? ""), "version": input.version ?? "0"]
        func refuse(_ errors: [String: String], status: HTTPStatus = .unprocessableEntity) async throws -> Response {
            try await req.page("calendar", title: "节假日安排", PageView(rows: try await Self.rows(on: req.db), form: form, errors: errors),
                               status: status)
        }
        guard let year = Int(form["year"]!), (2000...2100).contains(year) else {
            return try await refuse(["year": "请填写 2000–2100 之间的年份。"])
        }
        for key in ["rest_days", "make_up_days"] where form[key]!.count > 2000 {
            return try await refuse([key: "最多 2000 个字符。"])
        }
        let arrangement: WorkingCalendar.Arrangement
        switch WorkingCalendar.Arrangement.parse(year: year, rest: form["rest_days"]!, makeUp: form["make_up_days"]!) {
        case .success(let parsed): arrangement = parsed
        case .failure(let error): return try await refuse(error.errors)
        }
        form["rest_days"] = arrangement.restText
        form["make_up_days"] = arrangement.makeUpText
        let expected = Int(form["version"]!) ?? -1
        let actor = req.actor, now = req.now
        let saved = try await req.write { db -> Bool in
            let existing = try await CalendarYear.query(on: db).filter(\.$year == year).first()
            let row: CalendarYear
            if let existing {
                guard try await db.claimVersion(of: CalendarYear.schema, id: try existing.requireID(), expected: expected) else { return false }
                row = existing
                row.version = expected + 1
            } else {
                guard expected == 0 else { return false }
                row = CalendarYear(arrangement)
            }
            let changes = [FieldChange("rest_days", old: existing?.restDays, new: arrangement.restText),
                           FieldChange("make_up_days", old: existing?.makeUpDays, new: arrangement.makeUpText)]
            row.restDays = arrangement.restText
            row.makeUpDays = arrangement.makeUpText
            try await row.save(on: db)
            try await Audit.record(on: db, actor: actor, action: "calendar.update", objectType: "calendar", objectID: "\(year)",
                                   objectLabel: "\(year) 年节假日安排", changes: changes, at: now)
            return true
        }
        guard saved else {
            return try await refuse(["version": "\(year) 年的安排已被他人修改或已录入，您的修改未保存。下方保留了您填写的内容，请刷新后核对。"],
                                    status: .conflict)
        }
        return req.redirect(to: "/admin/calendar?saved=\(year)")
    }
}
