import Fluent
import Foundation
import HonorsCore
import Vapor

/// 超额申请: `GET /quota-requests` (a committee sees its own, the alliance all), `POST /quota-requests`
/// (committee operators), `POST /quota-requests/{id}/decide` (administrators).
struct QuotaRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("quota-requests", use: list)
    }

    struct Entry: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.post("quota-requests", use: create)
        }
    }

    struct Decision: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.post("quota-requests", ":requestID", "decide", use: decide)
        }
    }

    struct Row: Encodable {
        let id: Int
        let version: Int
        let committee: String
        let category: String
        let extra: Int
        let reason: String
        let state: String
        let stateLabel: String
        let requestedBy: String
        let requestedAt: String
        let decision: String?
        let pending: Bool
    }

    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
        let campaign: String?
        let canRequest: Bool
        let canDecide: Bool
        let categories: [SelectOption]
        let form: [String: String]
        let errors: [String: String]
        let notice: String?
    }

    static func render(req: Request, form: [String: String] = [:], errors: [String: String] = [:],
                       notice: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        var query = QuotaRequest.query(on: req.db).with(\.$committee).sort(\.$id, .descending)
        if !user.role.seesAllCommittees { query = query.filter(\.$committee.$id == (user.committeeID ?? -1)) }
        query = query.hidingRecused(from: user, committee: \.$committee.$id)
        let (requests, pageInfo) = try await PageInfo.fetch(query, req: req)
        let rows = try requests.map { r in
            Row(id: try r.requireID(), version: r.version, committee: r.committee.name,
                category: NominationCategory(rawValue: r.category)?.label ?? r.category, extra: r.extra,
                reason: r.reason, state: r.state, stateLabel: r.stateValue.label, requestedBy: r.requestedBy,
                requestedAt: DateFormatting.minute(r.createdAt),
                decision: r.decidedBy.map { "\($0) 于 \(DateFormatting.minute(r.decidedAt))：\(r.decisionNote ?? "")" },
                pending: r.stateValue == .pending)
        }
        let open = try await NominationController.openCampaign(on: req.db, now: req.now, committeeID: user.committeeID)
        let selected = form["category"] ?? req.queryValue("category") ?? ""
        // A new form draws its key; a form sent back with errors keeps the one it was sent with.
        var form = form
        if CreationKey(form["creation_key"]) == nil { form["creation_key"] = CreationKey.draw() }
        let view = ListView(
            rows: rows, pageInfo: pageInfo, campaign: open?.documentNumber,
            canRequest: user.role == .committee && open != nil, canDecide: user.role == .admin,
            categories: NominationCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) },
            form: form, errors: errors, notice: notice)
        return try await req.page("quota-requests", title: "超额申请", view, status: status)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let notice = req.queryValue("notice").flatMap { ["decided": "已记录审批结果。", "created": "申请已提交，等待联盟审批。"][$0] }
        return try await Self.render(req: req, notice: notice)
    }
}

extension QuotaRequestController.Entry {
    struct Input: Content {
        var category: String?
        var extra: String?
        var reason: String?
        var creation_key: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let input = try req.content.decode(Input.self)
        let creationKey = CreationKey(input.creation_key)
        let form = ["category": input.category ?? "", "extra": TextInput.halfWidth(TextInput.line(input.extra ?? "")),
                    "reason": TextInput.block(input.reason ?? ""), "creation_key": creationKey?.value ?? ""]
        var errors: [String: String] = [:]
        let category = NominationCategory(rawValue: form["category"]!)
        if category == nil { errors["category"] = "请选择类别。" }
        let extra = Int(form["extra"]!)
        if extra == nil || !(1...9).contains(extra!) { errors["extra"] = "申请增加的名额须为 1–9 的整数。" }
        let reason = form["reason"]!
        if reason.count < 10 { errors["reason"] = "请写明申请理由（至少 10 个字），说明推荐对象的突出事迹。" }
        else if reason.count > 1000 { errors["reason"] = "申请理由最多 1000 字，现有 \(reason.count) 字。" }
        guard let campaign = try await NominationController.openCampaign(on: req.db, now: req.now, committeeID: user.committeeID) else {
            errors["category"] = "当前没有正在报送的推荐活动。"
            return try await QuotaRequestController.render(req: req, form: form, errors: errors, status: .unprocessableEntity)
        }
        guard errors.isEmpty, let category, let extra, let committeeID = user.committeeID else {
            return try await QuotaRequestController.render(req: req, form: form, errors: errors, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now
        // Sent again (a lost answer, a double click): the request the first send made, not a second one.
        _ = try await req.application.createOnce(creationKey, .quotaRequest, by: user.id, on: req.db, now: now) { db in
            let request = QuotaRequest()
            request.version = 1
            request.$campaign.id = try campaign.requireID()
            request.$committee.id = committeeID
            request.category = category.rawValue
            request.extra = extra
            request.reason = reason
            request.state = QuotaRequest.State.pending.rawValue
            request.requestedBy = user.username
            try await request.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "quota_request.create", objectType: "quota_request",
                                   objectID: request.id.map(String.init), objectLabel: "\(category.label) +\(extra)",
                                   committeeID: committeeID,
                                   changes: [FieldChange("category", old: nil, new: category.rawValue),
                                             FieldChange("extra", old: nil, new: "\(extra)"),
                                             FieldChange("reason", old: nil, new: reason)], at: now)
            return try request.requireID()
        }
        return req.redirect(to: "/quota-requests?notice=created")
    }
}

extension QuotaRequestController.Decision {
    struct Input: Content {
        var decision: String?
        var note: String?
        var version: Int?
    }

    @Sendable func decide(req: Request) async throws -> Response {
        guard let request = try await QuotaRequest.find(req.intParameter("requestID"), on: req.db) else { throw Abort(.notFound) }
        let input = try req.content.decode(Input.self)
        let note = TextInput.block(input.note ?? "")
        guard let state = QuotaRequest.State(decision: input.decision) else {
            return try await QuotaRequestController.render(req: req, errors: ["decision": "请选择批准或不批准。"], status: .unprocessableEntity)
        }
        if state == .refused, note.isEmpty {
            return try await QuotaRequestController.render(req: req, errors: ["decision": "不批准时请填写审批说明，申请单位能看到。"],
                                                           status: .unprocessableEntity)
        }
        if note.count > 1000 {
            return try await QuotaRequestController.render(req: req, errors: ["decision": "审批说明最多 1000 字，现有 \(note.count) 字。"],
                                                           status: .unprocessableEntity)
        }
        guard request.stateValue.isDecidable else {
            return try await QuotaRequestController.render(req: req, errors: ["decision": "此申请已审批过。"], status: .conflict)
        }
        switch try await QuotaRequestDecision.decide(try request.requireID(), expectedVersion: input.version ?? -1, to: state,
                                                              note: note, by: req.actor, at: req.now, on: req.application) {
        case .decided:
            return req.redirect(to: "/quota-requests?notice=decided")
        case .stale:
            return try await QuotaRequestController.render(req: req, errors: ["decision": "此申请刚被他人审批，请查看最新结果。"], status: .conflict)
        }
    }
}
