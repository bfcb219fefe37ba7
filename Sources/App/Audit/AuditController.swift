import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import SQLKit
import Vapor

/// `GET /admin/audit`: the audit trail, newest first, filtered by action, actor, committee and day range,
/// with the chain's head and its last verification; `GET /admin/audit.xlsx`: the same events for an
/// inspection, oldest first, each with its place and hash in the chain.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: list)
        routes.get("admin", "audit.xlsx", use: export)
    }

    /// One event as the page and the export show it.
    struct Row {
        let seq: Int?
        let time: String
        let actor: String
        let role: String
        let action: String
        let object: String
        let changes: [FieldChange]
        let address: String
    }

    /// The columns of one event a statement reads: the page's, and for the export its committee and hash.
    struct Stored {
        static let pageColumns = ["id", "seq", "occurred_at", "actor_name", "actor_role", "action", "object_type", "object_label",
                                  "changes", "address"]
        static let exportColumns = pageColumns + ["committee_id", "hash"]

        let id: Int
        let seq: Int?
        let occurredAt: Date
        let actorName: String
        let actorRole: String
        let action: String
        let objectType: String
        let objectLabel: String
        let changes: String
        let address: String
        let committeeID: Int?
        let hash: String?

        init(_ row: PlainRow) throws {
            id = try row.decode(column: "id", as: Int.self)
            seq = try row.decode(column: "seq", as: Int?.self)
            occurredAt = try row.decode(column: "occurred_at", as: Date.self)
            actorName = try row.decode(column: "actor_name", as: String.self)
            actorRole = try row.decode(column: "actor_role", as: String.self)
            action = try row.decode(column: "action", as: String.self)
            objectType = try row.decode(column: "object_type", as: String.self)
            objectLabel = try row.decode(column: "object_label", as: String.self)
            changes = try row.decode(column: "changes", as: String.self)
            address = try row.decode(column: "address", as: String.self)
            committeeID = row.contains(column: "committee_id") ? try row.decode(column: "committee_id", as: Int?.self) : nil
            hash = row.contains(column: "hash") ? try row.decode(column: "hash", as: String?.self) : nil
        }

        var fieldChanges: [FieldChange] {
            FieldChange.decoded(changes)
        }
    }

    /// The chain's head and the last verification's result, as the page shows them.
    struct ChainView {
        let count: Int
        let head: String
        let verifiedAt: String?
        let verifiedWhole: Bool
        let verifiedResult: String?
    }

    /// The key ring beside the chain: which key seals, which are kept for reading, what is left to re-seal.
    struct KeyRingView {
        let current: String
        let older: String
        let pending: Int
    }

    struct ListView {
        let rows: [Row]
        let pageInfo: PageInfo
        let filters: Filters
        let actions: [SelectOption]
        let committees: [SelectOption]
        let chain: ChainView
        let keys: KeyRingView
        let errors: [String: String]
    }

    /// Who acts without an account's role.
    private static let otherActors = ["system": "系统", "api": "接口令牌"]

    /// The actions in the filter's order, sorted once.
    private static let actionsInOrder = Audit.actionLabels.sorted { $0.key < $1.key }

    static func row(_ event: Stored) -> Row {
        let label = event.objectType == "nomination" ? Audit.nominationFieldLabel : Audit.fieldLabel
        return Row(seq: event.seq, time: DateFormatting.minute(event.occurredAt),
                   actor: event.actorName.isEmpty ? "（匿名）" : event.actorName,
                   role: Role(rawValue: event.actorRole)?.label ?? otherActors[event.actorRole] ?? "访客",
                   action: Audit.actionLabels[event.action] ?? event.action, object: event.objectLabel,
                   changes: event.fieldChanges.map {
                       FieldChange(label($0.field), old: Audit.valueLabel($0.old, field: $0.field, objectType: event.objectType),
                                   new: Audit.valueLabel($0.new, field: $0.field, objectType: event.objectType))
                   },
                   address: event.address)
    }

    /// The chosen events (`columns`: what is shown).
    private static func select(_ columns: [String], _ filters: Filters, on db: any Database) -> SQLSelectBuilder {
        filters.apply(to: (db as! any SQLDatabase).select().columns(columns).from(AuditEvent.schema))
    }

    @Sendable func list(req: Request) async throws -> View {
        let (filters, errors) = Filters.read(req)
        let head = try await AuditChain.head(on: req.db)
        // Unfiltered, the chain's head knows the length (one event per link); filters count their matches.
        let total = filters.isEmpty ? head.count : try await Self.count(filters, on: req.db)
        let (events, pageInfo) = try await PageInfo.fetch(Self.select(Stored.pageColumns, filters, on: req.db),
                                                          order: [(SQLColumn("id"), .descending)], total: total,
                                                          req: req, baseQuery: filters.query, row: Stored.init)
        let verified = try await AuditVerification.latest(on: req.db)
        let secrets = req.application.secrets
        let actions = Self.actionsInOrder
            .map { SelectOption(value: $0.key, label: $0.value, selected: $0.key == filters.action) }
        let view = ListView(
            rows: events.map(Self.row), pageInfo: pageInfo, filters: filters, actions: actions,
            committees: try await req.reference.committees().options(for: try req.requireUser(), selected: Int(filters.committee)),
            chain: ChainView(count: head.count, head: head.hash, verifiedAt: verified.map { DateFormatting.minute($0.occurredAt) },
                             verifiedWhole: verified?.objectLabel == "完整",
                             verifiedResult: verified?.fieldChanges.first { $0.field == "result" }?.new),
            keys: KeyRingView(current: secrets.keyID, older: secrets.olderKeyIDs.joined(separator: "、"),
                              pending: try await KeyRotation.pending(on: req.db, older: secrets.olderKeyIDs)),
            errors: errors)
        return try await req.page(title: "操作日志", view.html)
    }

    /// How many events the filters choose.
    private static func count(_ filters: Filters, on db: any Database) async throws -> Int {
        let row = try await Self.select([], filters, on: db).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Events one export holds at most; a narrower filter takes the rest.
    static let exportLimit = 100_000

    @Sendable func export(req: Request) async throws -> Response {
        let (filters, errors) = Filters.read(req)
        guard errors.isEmpty else { throw Abort(.badRequest, reason: errors.values.sorted().joined(separator: " ")) }
        let total = try await Self.count(filters, on: req.db)
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
            let batch = try await Self.select(Stored.exportColumns, filters, on: req.db).where("id", .greaterThan, SQLBind(lastID))
                .orderBy("id").limit(1000).plainRows().map(Stored.init)
            for event in batch {
                let row = Self.row(event)
                sheet.addRow([row.seq.map(String.init) ?? "", row.time, row.actor, row.role, row.action, row.object,
                              event.committeeID.flatMap { names[$0] } ?? "",
                              row.changes.map { "\($0.field)：\($0.old ?? "") → \($0.new ?? "")" }.joined(separator: "\n"),
                              row.address, event.hash ?? ""])
                lastID = event.id
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
