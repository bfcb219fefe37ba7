import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// `GET /admin/audit`: the audit trail, newest first, filtered by action, actor, committee and day range,
/// with the chain's head and its last verification; `GET /admin/audit.xlsx`: the same events for an
/// inspection, oldest first, each with its place and hash in the chain.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: list)
        routes.get("admin", "audit.xlsx", use: export)
    }

    struct Row: Encodable {
        let seq: Int?
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
        var committee = ""
        var from = ""
        var to = ""

        /// The filters as typed in the page's form, the query they select and the messages for what is wrong.
        static func read(_ req: Request) -> (Filters, [String: String], (QueryBuilder<AuditEvent>) -> QueryBuilder<AuditEvent>) {
            var filters = Filters()
            var errors: [String: String] = [:]
            var steps: [(QueryBuilder<AuditEvent>) -> QueryBuilder<AuditEvent>] = []
            if let action = req.query[String.self, at: "action"], Audit.actionLabels[action] != nil {
                filters.action = action
                steps.append { $0.filter(\.$action == action) }
            }
            if let actor = req.query[String.self, at: "actor"].map(TextInput.line), !actor.isEmpty {
                let name = String(actor.prefix(64))
                filters.actor = name
                steps.append { $0.filter(\.$actorName == name) }
            }
            if let committee = req.query[Int.self, at: "committee"] {
                filters.committee = "\(committee)"
                steps.append { $0.filter(\.$committeeID == committee) }
            }
            for (key, isEnd) in [("from", false), ("to", true)] {
                guard let text = req.query[String.self, at: key].map(TextInput.line), !text.isEmpty else { continue }
                guard let day = DayStamp(text) else {
                    errors[key] = "请按 YYYY-MM-DD 填写日期。"
                    continue
                }
                if isEnd {
                    filters.to = day.description
                    steps.append { $0.filter(\.$occurredAt < day.end) }
                } else {
                    filters.from = day.description
                    steps.append { $0.filter(\.$occurredAt >= day.start) }
                }
            }
            return (filters, errors, { query in steps.reduce(query) { $1($0) } })
        }

        var query: String {
            [("action", action), ("actor", actor), ("committee", committee), ("from", from), ("to", to)]
                .filter { !$0.1.isEmpty }
                .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
        }
    }

    /// The chain's head and the last verification's result, as the page shows them.
    struct ChainView: Encodable {
        let count: Int
        let head: String
        let verifiedAt: String?
        let verifiedWhole: Bool
        let verifiedResult: String?
    }

    /// The key ring beside the chain: which key seals, which are kept for reading, what is left to re-seal.
    struct KeyRingView: Encodable {
        let current: String
        let older: String
        let pending: Int
    }

    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
        let filters: Filters
        let exportQuery: String
        let actions: [SelectOption]
        let committees: [SelectOption]
        let chain: ChainView
        let keys: KeyRingView
        let errors: [String: String]
    }

    static func row(_ event: AuditEvent) -> Row {
        let label = event.objectType == "nomination" ? Audit.nominationFieldLabel : Audit.fieldLabel
        return Row(seq: event.seq, time: DateFormatting.minute(event.occurredAt),
                   actor: event.actorName.isEmpty ? "（匿名）" : event.actorName,
                   role: Role(rawValue: event.actorRole)?.label ?? ["system": "系统", "api": "接口令牌"][event.actorRole] ?? "访客",
                   action: Audit.actionLabels[event.action] ?? event.action, object: event.objectLabel,
                   changes: event.fieldChanges.map {
                       FieldChange(label($0.field), old: Audit.valueLabel($0.old, field: $0.field, objectType: event.objectType),
                                   new: Audit.valueLabel($0.new, field: $0.field, objectType: event.objectType))
                   },
                   address: event.address)
    }

    @Sendable func list(req: Request) async throws -> View {
        let (filters, errors, select) = Filters.read(req)
        let head = try await AuditChain.head(on: req.db)
        // Unfiltered, the chain's head knows the length (one event per link); filters count their matches.
        let total: PageInfo.Total = filters.query.isEmpty ? .known(head.count) : .count
        let (events, pageInfo) = try await PageInfo.fetch(select(AuditEvent.query(on: req.db).sort(\.$id, .descending)),
                                                          total: total, req: req, baseQuery: filters.query)
        let verified = try await AuditVerification.latest(on: req.db)
        let secrets = req.application.secrets
        let actions = Audit.actionLabels.sorted { $0.key < $1.key }
            .map { SelectOption(value: $0.key, label: $0.value, selected: $0.key == filters.action) }
        return try await req.page("audit", title: "操作日志", ListView(
            rows: events.map(Self.row), pageInfo: pageInfo, filters: filters, exportQuery: filters.query, actions: actions,
            committees: try await Committee.options(for: try req.requireUser(), selected: Int(filters.committee), on: req.db),
            chain: ChainView(count: head.count, head: head.hash, verifiedAt: verified.map { DateFormatting.minute($0.occurredAt) },
                             verifiedWhole: verified?.objectLabel == "完整",
                             verifiedResult: verified?.fieldChanges.first { $0.field == "result" }?.new),
            keys: KeyRingView(current: secrets.keyID, older: secrets.olderKeyIDs.joined(separator: "、"),
                              pending: try await KeyRotation.pending(on: req.db, older: secrets.olderKeyIDs)),
            errors: errors))
    }

    /// Events one export holds at most; a narrower filter takes the rest.
    static let exportLimit = 100_000

    @Sendable func export(req: Request) async throws -> Response {
        let (filters, errors, select) = Filters.read(req)
        guard errors.isEmpty else { throw Abort(.badRequest, reason: errors.values.sorted().joined(separator: " ")) }
        let total = try await select(AuditEvent.query(on: req.db)).count()
        guard total <= Self.exportLimit else {
            throw ExplainedRefusal(status: .unprocessableEntity, title: "导出的事件过多",
                                   message: "所选范围共 \(total) 条，一次最多导出 \(Self.exportLimit) 条。请缩小时间范围或加上其他筛选条件。")
        }
        var sheet = XlsxSheet(name: "操作日志", columns: [
            XlsxColumn("序号", width: 8), XlsxColumn("时间", width: 17), XlsxColumn("操作人", width: 14),
            XlsxColumn("角色", width: 12), XlsxColumn("操作", width: 18), XlsxColumn("对象", width: 22),
            XlsxColumn("行业党委", width: 18), XlsxColumn("变更", width: 60, wrapsText: true), XlsxColumn("地址", width: 16),
            XlsxColumn("哈希", width: 66),
        ], title: "操作日志（\(filters.from.isEmpty ? "起始" : filters.from) 至 \(filters.to.isEmpty ? "今" : filters.to)）")
        let names = try await Committee.names(on: req.db)
        var lastID = 0
        while true {
            let batch = try await select(AuditEvent.query(on: req.db)).filter(\.$id > lastID).sort(\.$id).limit(1000).all()
            for event in batch {
                let row = Self.row(event)
                sheet.addRow([row.seq.map(String.init) ?? "", row.time, row.actor, row.role, row.action, row.object,
                              event.committeeID.flatMap { names[$0] } ?? "",
                              row.changes.map { "\($0.field)：\($0.old ?? "") → \($0.new ?? "")" }.joined(separator: "\n"),
                              row.address, event.hash ?? ""])
                lastID = try event.requireID()
            }
            if batch.count < 1000 { break }
        }
        let workbook = XlsxWorkbook(sheets: [sheet])
        let data = try await req.application.threadPool.runIfActive { try workbook.xlsxData() }
        try await req.recordOutput("document.audit_export", objectType: "audit", objectID: nil, label: "\(total) 条",
                                   changes: [FieldChange("filters", old: nil, new: filters.query)])
        return Download.response(data, filename: "操作日志.xlsx", contentType: Download.xlsx)
    }
}
