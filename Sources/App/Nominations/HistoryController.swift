import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /nominations/{id}/history`: every step of a nomination from the audit trail, with who, when, the
/// reason or opinion and the changes field by field (ID number and phone masked when they were recorded).
/// A committee sees its nominations' history without the alliance's internal notes and recommendations.
extension NominationController {
    struct HistoryRow: Encodable {
        let time: String
        let actor: String
        let role: String
        let action: String
        let actionKey: String
        /// The reason, opinion or 补正期限, stated apart from the field changes.
        let statement: String?
        let changes: [Change]
        let hasChanges: Bool
    }

    struct Change: Encodable {
        let label: String
        let old: String
        let new: String
    }

    struct HistoryView: Encodable {
        let id: Int
        let name: String
        let state: String
        let rows: [HistoryRow]
        let pageInfo: PageInfo
    }

    /// Fields whose value is the step's statement rather than a change of data.
    static let statementFields = ["reason": "原因", "fix_by": "补正期限", "alliance_opinion": "联盟意见",
                                  "alliance_opinion_date": "意见日期", "recommendation": "评审推荐", "review_note": "评审意见",
                                  "integrity_result": "纪检意见", "integrity_note": "说明", "reply_date": "答复日期"]

    @Sendable func history(req: Request) async throws -> View {
        let loaded = try await Self.load(req)
        var query = AuditEvent.query(on: req.db).filter(\.$objectType == "nomination").filter(\.$objectID == "\(loaded.id)")
            .sort(\.$id, .ascending)
        let relation = loaded.context.relation
        if !relation.isAlliance {
            // The alliance's own notes stay the alliance's.
            query = query.filter(\.$action !~ Array(Audit.internalActions))
        } else {
            // The alliance reads from the nomination's first submission on: what came before was the
            // committee's draft. A reviewer reads their own notes, not the other reviewers'.
            let submitted = try await AuditEvent.query(on: req.db).filter(\.$objectType == "nomination")
                .filter(\.$objectID == "\(loaded.id)").filter(\.$action == NominationAction.submit.auditName)
                .sort(\.$id, .ascending).first()?.id ?? Int.max
            query = query.filter(\.$id >= submitted)
            if relation == .reviewer {
                let user = try req.requireUser()
                query = query.group(.or) { $0.filter(\.$action != NominationAction.review.auditName).filter(\.$actorID == user.id) }
            }
        }
        let (events, pageInfo) = try await PageInfo.fetch(query, req: req)
        // Changes in the printed form's order, values as the form shows them.
        let category = loaded.nomination.categoryValue
        let specs = Dictionary(uniqueKeysWithValues: (NominationForm.fields(for: category) + NominationForm.committeeFields)
            .map { ($0.key, $0) })
        let order = Dictionary(uniqueKeysWithValues: (["state"] + FormFingerprint.printedKeys(for: category)).enumerated().map { ($1, $0) })
        let rows = events.map { event -> HistoryRow in
            let changes = event.fieldChanges
            let statement = changes.compactMap { change -> String? in
                guard let label = Self.statementFields[change.field], let value = change.new, !value.isEmpty else { return nil }
                if change.field == "integrity_result" { return "\(label)：\(IntegrityResult(rawValue: value)?.label ?? value)" }
                return "\(label)：\(value)"
            }.joined(separator: "；")
            let shownChanges = changes.filter { Self.statementFields[$0.field] == nil }
                .sorted { (order[$0.field] ?? Int.max, $0.field) < (order[$1.field] ?? Int.max, $1.field) }
                .map { Change(label: Audit.nominationFieldLabel($0.field), old: Self.shown($0.field, $0.old, specs: specs),
                              new: Self.shown($0.field, $0.new, specs: specs)) }
            return HistoryRow(
                time: DateFormatting.minute(event.occurredAt), actor: event.actorName,
                role: Role(rawValue: event.actorRole)?.label ?? (event.actorRole == "system" ? "系统" : event.actorRole),
                action: Audit.actionLabels[event.action] ?? event.action, actionKey: event.action,
                statement: statement.isEmpty ? nil : statement, changes: shownChanges, hasChanges: !shownChanges.isEmpty)
        }
        return try await req.page("history", title: "\(loaded.nomination.displayName) · 办理记录", HistoryView(
            id: loaded.id, name: loaded.nomination.displayName, state: loaded.nomination.stateValue.label,
            rows: rows, pageInfo: pageInfo))
    }

    /// Longer values (主要事迹) are shown by their beginning and length.
    static let shownLength = 120

    /// A recorded value as people read it: states and choices by their Chinese names, long text cut short.
    static func shown(_ field: String, _ value: String?, specs: [String: FieldSpec]) -> String {
        guard let value else { return "" }
        if field == "state" { return NominationState(rawValue: value)?.label ?? value }
        if field == "photo" { return "照片 \(value.prefix(8))" }
        if let spec = specs[field], spec.displayValue(value) != value { return spec.displayValue(value) }
        guard value.count > shownLength else { return value }
        return String(value.prefix(shownLength)) + "……（共 \(CharacterCount.count(value)) 字）"
    }
}
