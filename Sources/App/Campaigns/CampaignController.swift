import Fluent
import Foundation
import HonorsCore
import Vapor

/// Campaign pages: the list and each campaign for everyone signed in; editing, copying and quotas for the
/// administrator (`/campaigns/...`).
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("campaigns", use: list)
        routes.get("campaigns", ":campaignID", use: show)
    }

    /// Administrator routes, registered behind `RequireRole(.admin)`.
    struct Admin: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            let campaign = routes.grouped("campaigns", ":campaignID")
            campaign.get("edit", use: editForm)
            campaign.post(use: update)
            campaign.get("copy", use: copyForm)
            campaign.post("copy", use: copy)
            campaign.get("quotas", "edit", use: quotaForm)
            campaign.post("quotas", use: saveQuotas)
            campaign.post("extensions", use: extend)
        }
    }

    // MARK: Reading

    struct Summary: Encodable {
        let id: Int
        let title: String
        let documentNumber: String
        let awardYear: Int
        let issuedOn: String
        let deadline: String
        let open: Bool
        let closed: Bool
        let status: String
    }

    static func summary(_ campaign: Campaign, now: Date) throws -> Summary {
        summary(try campaign.header, now: now)
    }

    static func summary(_ campaign: CampaignHeader, now: Date) -> Summary {
        let days = campaign.days, open = days.isOpen(at: now)
        let status = days.closedAt != nil ? "已结束归档" : open ? "报送中" : (now < days.issued.start ? "未开始" : "已截止")
        return Summary(id: campaign.id, title: campaign.title, documentNumber: campaign.documentNumber,
                       awardYear: days.awardYear, issuedOn: days.issuedOn,
                       deadline: days.deadline.chinese, open: open, closed: days.closedAt != nil, status: status)
    }

    struct ListView: Encodable {
        let campaigns: [Summary]
        let pageInfo: PageInfo
    }

    @Sendable func list(req: Request) async throws -> View {
        let (campaigns, pageInfo) = try await PageInfo.fetch(
            Campaign.query(on: req.db).sort(\.$issuedOn, .descending).sort(\.$id, .descending), req: req)
        let now = req.now
        return try await req.page("campaigns", title: "推荐活动",
                                  ListView(campaigns: try campaigns.map { try Self.summary($0, now: now) },
                                           pageInfo: pageInfo))
    }

    struct ExtensionRow: Encodable {
        let committee: String
        let until: String
        let reason: String
        let grantedBy: String
    }

    struct ShowView: Encodable {
        let campaign: Summary
        let details: CampaignForm
        let quotas: QuotaTable
        let notice: String?
        let extensions: [ExtensionRow]
        let hasExtensions: Bool
        let committees: [SelectOption]
        let extensionForm: [String: String]
        let errors: [String: String]
    }

    /// The campaign page; a committee operator sees only its own row and its own extensions.
    static func showView(_ campaign: Campaign, req: Request, notice: String? = nil,
                         extensionForm: [String: String] = [:], errors: [String: String] = [:]) async throws -> ShowView {
        let user = try req.requireUser()
        let id = try campaign.requireID()
        let table = try await QuotaTable.load(campaignID: id, for: user, at: req.now, on: req.db)
        var query = DeadlineExtension.query(on: req.db).filter(\.$campaign.$id == id).with(\.$committee).sort(\.$id)
        if !user.role.seesAllCommittees { query = query.filter(\.$committee.$id == (user.committeeID ?? -1)) }
        let extensions = try await query.all().map {
            ExtensionRow(committee: $0.committee.name, until: $0.until?.chinese ?? $0.untilOn, reason: $0.reason,
                         grantedBy: $0.grantedBy)
        }
        let committees = user.isAdmin ? try await Committee.query(on: req.db).sort(\.$sortOrder).all().map {
            SelectOption(id: try $0.requireID(), label: $0.name, selected: extensionForm["committee_id"])
        } : []
        // A new form draws its key; a form sent back with errors keeps the one it was sent with.
        var extensionForm = extensionForm
        if CreationKey(extensionForm["creation_key"]) == nil { extensionForm["creation_key"] = CreationKey.draw() }
        return ShowView(campaign: try summary(campaign, now: req.now), details: CampaignForm(campaign), quotas: table,
                        notice: notice, extensions: extensions, hasExtensions: !extensions.isEmpty,
                        committees: committees, extensionForm: extensionForm, errors: errors)
    }

    @Sendable func show(req: Request) async throws -> View {
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else {
            throw Abort(.notFound)
        }
        let notice = req.queryValue("notice").flatMap { Self.notices[$0] }
        return try await req.page("campaign", title: campaign.documentNumber,
                                  try await Self.showView(campaign, req: req, notice: notice))
    }

    static let notices = ["saved": "活动信息已保存。", "created": "新活动已创建，名额与规则设置已从原活动复制。",
                          "quotas": "名额已保存。", "extended": "已为该行业党委延长报送截止日期。"]
}

// MARK: Administrator

extension CampaignController.Admin {
    struct FormView: Encodable {
        let id: Int
        let mode: String
        let form: CampaignForm
        let errors: [String: String]
        let source: String
    }

    private func load(_ req: Request) async throws -> Campaign {
        guard let campaign = try await Campaign.find(req.intParameter("campaignID"), on: req.db) else {
            throw Abort(.notFound)
        }
        return campaign
    }

    private func render(_ view: FormView, req: Request, status: HTTPStatus = .ok) async throws -> Response {
        let title = view.mode == "copy" ? "以此为模板创建新活动" : "修改活动"
        return try await req.page("campaign-form", title: title, view, status: status)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let campaign = try await load(req)
        try campaign.requireNotClosed()
        return try await render(FormView(id: try campaign.requireID(), mode: "edit", form: CampaignForm(campaign),
                                         errors: [:], source: campaign.documentNumber), req: req)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let campaign = try await load(req)
        try campaign.requireNotClosed()
        let id = try campaign.requireID()
        var form = try req.content.decode(CampaignForm.self)
        var errors = try await form.validate(excludingCampaign: id, on: req.db)
        let expected = form.version ?? -1
        if errors.isEmpty, expected != campaign.version {
            errors["version"] = "此活动已被他人修改，您的修改未保存。下方保留了您填写的内容；当前保存的版本请在新窗口中打开活动页面查看后再决定。"
        }
        guard errors.isEmpty else {
            return try await render(FormView(id: id, mode: "edit", form: form, errors: errors,
                                             source: campaign.documentNumber), req: req, status: .unprocessableEntity)
        }
        let changes = form.apply(to: campaign)
        let actor = req.actor, now = req.now
        let saved = try await req.write { db -> Bool in
            guard try await db.claimVersion(of: Campaign.schema, id: id, expected: expected) else { return false }
            try await Campaign.query(on: db).filter(\.$id == id)
                .set(\.$title, to: campaign.title).set(\.$documentNumber, to: campaign.documentNumber)
                .set(\.$awardYear, to: campaign.awardYear).set(\.$issuedOn, to: campaign.issuedOn)
                .set(\.$deadlineOn, to: campaign.deadlineOn).set(\.$contactUnit, to: campaign.contactUnit)
                .set(\.$contactPerson, to: campaign.contactPerson).set(\.$contactPhone, to: campaign.contactPhone)
                .set(\.$contactEmail, to: campaign.contactEmail).set(\.$deedsTarget, to: campaign.deedsTarget)
                .set(\.$deedsTolerancePercent, to: campaign.deedsTolerancePercent)
                .set(\.$deedsMinimumPercent, to: campaign.deedsMinimumPercent)
                .set(\.$deedsMaximumPercent, to: campaign.deedsMaximumPercent)
                .set(\.$memberWorkerExclusive, to: campaign.memberWorkerExclusive)
                .set(\.$requireScan, to: campaign.requireScan)
                .set(\.$requireSecondFactor, to: campaign.requireSecondFactor)
                .set(\.$rotatingUnit, to: campaign.rotatingUnit).update()
            try await Audit.record(on: db, actor: actor, action: "campaign.update", objectType: "campaign",
                                   objectID: "\(id)", objectLabel: campaign.documentNumber, changes: changes, at: now)
            return true
        }
        guard saved else {
            var errors: [String: String] = [:]
            errors["version"] = "此活动已被他人修改，您的修改未保存。下方保留了您填写的内容。"
            return try await render(FormView(id: id, mode: "edit", form: form, errors: errors,
                                             source: campaign.documentNumber), req: req, status: .conflict)
        }
        return req.redirect(to: "/campaigns/\(id)?notice=saved")
    }

    @Sendable func copyForm(req: Request) async throws -> Response {
        let source = try await load(req)
        var form = CampaignForm(source)
        // A sensible start: next year, the same rules, dates to be set.
        form.award_year = "\(source.awardYear + 1)"
        form.document_number = ""
        form.issued_on = ""
        form.deadline_on = ""
        form.version = nil
        form.creation_key = CreationKey.draw()
        return try await render(FormView(id: try source.requireID(), mode: "copy", form: form, errors: [:],
                                         source: source.documentNumber), req: req)
    }

    @Sendable func copy(req: Request) async throws -> Response {
        let source = try await load(req)
        let sourceID = try source.requireID()
        var form = try req.content.decode(CampaignForm.self)
        let creationKey = CreationKey(form.creation_key)
        form.creation_key = creationKey?.value ?? CreationKey.draw()
        let errors = try await form.validate(excludingCampaign: nil, on: req.db)
        guard errors.isEmpty else {
            // Sent again after the copy was made (its 文号 now "taken" by the first send): the new campaign.
            if let made = try await req.madeBefore(creationKey, .campaign) { return req.redirect(to: "/campaigns/\(made)?notice=created") }
            return try await render(FormView(id: sourceID, mode: "copy", form: form, errors: errors,
                                             source: source.documentNumber), req: req, status: .unprocessableEntity)
        }
        let campaign = Campaign(copying: source)
        let changes = form.apply(to: campaign)
        let actor = req.actor, now = req.now
        let newID = try await req.application.createOnce(creationKey, .campaign, by: try req.requireUser().id, on: req.db,
                                                         now: now) { db -> Int in
            try await campaign.create(on: db)
            let newID = try campaign.requireID()
            for quota in try await CampaignQuota.query(on: db).filter(\.$campaign.$id == sourceID).all() {
                // Guiding numbers carry over; grants were for last year's requests and do not.
                try await CampaignQuota(campaignID: newID, committeeID: quota.$committee.id,
                                        category: quota.category, guiding: quota.guiding).create(on: db)
            }
            try await Audit.record(on: db, actor: actor, action: "campaign.create", objectType: "campaign",
                                   objectID: "\(newID)", objectLabel: campaign.documentNumber,
                                   changes: [FieldChange("copied_from", old: nil, new: source.documentNumber)] + changes,
                                   at: now)
            return newID
        }
        return req.redirect(to: "/campaigns/\(newID)?notice=created")
    }
}
