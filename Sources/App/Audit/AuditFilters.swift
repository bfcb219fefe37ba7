import Foundation
import HonorsCore
import SQLKit
import Vapor

extension AuditController {
    /// The audit page's filters as typed in its form: by action, actor, committee and day range. The page and
    /// the export select the same events through `apply`.
    struct Filters: Sendable {
        var action = ""
        var actor = ""
        var committee = ""
        var from = ""
        var to = ""
        /// A day typed wrong, kept to show again in its field (it filters nothing).
        var typed: [String: String] = [:]
        private var conditions: [@Sendable (SQLSelectBuilder) -> Void] = []

        /// The filters of `req`'s query and the messages for what is wrong in it (a wrong day filters nothing).
        static func read(_ req: Request) -> (Filters, [String: String]) {
            var filters = Filters()
            var errors: [String: String] = [:]
            if let action = req.queryValue("action"), Audit.actionLabels[action] != nil {
                filters.action = action
                filters.conditions.append { $0.where("action", .equal, SQLBind(action)) }
            }
            if let actor = req.queryValue("actor").map(TextInput.line), !actor.isEmpty {
                let name = String(actor.prefix(64))
                filters.actor = name
                filters.conditions.append { $0.where("actor_name", .equal, SQLBind(name)) }
            }
            if let committee = req.queryInt("committee") {
                filters.committee = "\(committee)"
                filters.conditions.append { $0.where("committee_id", .equal, SQLBind(committee)) }
            }
            for (key, isEnd) in [("from", false), ("to", true)] {
                guard let text = req.queryValue(key).map(TextInput.line), !text.isEmpty else { continue }
                guard let day = DayStamp(text) else {
                    errors[key] = "请按 YYYY-MM-DD 填写日期。"
                    filters.typed[key] = String(text.prefix(32))
                    continue
                }
                if isEnd {
                    filters.to = day.description
                    filters.conditions.append { $0.where("occurred_at", .lessThan, SQLBind(day.end)) }
                } else {
                    filters.from = day.description
                    filters.conditions.append { $0.where("occurred_at", .greaterThanOrEqual, SQLBind(day.start)) }
                }
            }
            return (filters, errors)
        }

        /// `select` narrowed to the chosen events.
        func apply(to select: SQLSelectBuilder) -> SQLSelectBuilder {
            for condition in conditions { condition(select) }
            return select
        }

        var isEmpty: Bool { conditions.isEmpty }

        /// The filters as a URL query, for the pager and the export link.
        var query: String {
            [("action", action), ("actor", actor), ("committee", committee), ("from", from), ("to", to)]
                .filter { !$0.1.isEmpty }
                .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
        }
    }
}
