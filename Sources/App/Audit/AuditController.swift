import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /admin/audit`: the audit trail, newest first, filtered by action, actor and day range.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: list)
    }

    struct Row: Encodable {
        let time: String
        let actor: String
        let role: String
        let action: String
        let object: String
        let changes: [FieldChange]
        let address: String
    }

    struct Filters: Encodable {
        var action = ""
        var actor = ""
        var from = ""
        var to = ""
    }

    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
        let filters: Filters
        let actions: [SelectOption]
        let errors: [String: String]
    }

    @Sendable func list(req: Request) async throws -> View {
        var filters = Filters()
        var errors: [String: String] = [:]
        var query = AuditEvent.query(on: req.db).sort(\.$id, .descending)
        if let action = req.query[String.self, at: "action"], Audit.actionLabels[action] != nil {
            filters.action = action
            query = query.filter(\.$action == action)
        }
        if let actor = req.query[String.self, at: "actor"].map(TextInput.line), !actor.isEmpty {
            filters.actor = String(actor.prefix(64))
            query = query.filter(\.$actorName == filters.actor)
        }
        for (key, isEnd) in [("from", false), ("to", true)] {
            guard let text = req.query[String.self, at: key].map(TextInput.line), !text.isEmpty else { continue }
            guard let day = DayStamp(text) else {
                errors[key] = "请按 YYYY-MM-DD 填写日期。"
                continue
            }
            if isEnd { filters.to = day.description; query = query.filter(\.$occurredAt < day.end) }
            else { filters.from = day.description; query = query.filter(\.$occurredAt >= day.start) }
        }
        let base = [("action", filters.action), ("actor", filters.actor), ("from", filters.from), ("to", filters.to)]
            .filter { !$0.1.isEmpty }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let (events, pageInfo) = try await PageInfo.fetch(query, req: req, baseQuery: base)
        let rows = events.map { event in
            let label = event.objectType == "nomination" ? Audit.nominationFieldLabel : Audit.fieldLabel
            return Row(time: DateFormatting.minute(event.occurredAt), actor: event.actorName.isEmpty ? "（匿名）" : event.actorName,
                role: Role(rawValue: event.actorRole)?.label ?? (event.actorRole == "system" ? "系统" : "访客"),
                action: Audit.actionLabels[event.action] ?? event.action,
                object: event.objectLabel,
                changes: event.fieldChanges
                    .map { FieldChange(label($0.field), old: $0.old, new: $0.new) },
                address: event.address)
        }
        let actions = Audit.actionLabels.sorted { $0.key < $1.key }
            .map { SelectOption(value: $0.key, label: $0.value, selected: $0.key == filters.action) }
        return try await req.page("audit", title: "操作日志",
                                  ListView(rows: rows, pageInfo: pageInfo, filters: filters, actions: actions, errors: errors))
    }
}
