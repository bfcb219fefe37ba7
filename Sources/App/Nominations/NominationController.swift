import Fluent
import Foundation
import HonorsCore
import Vapor

/// Nomination pages. Reading is for every signed-in role within its committees; entering, submitting and
/// withdrawing is for committee operators, on their own committee's nominations only.
struct NominationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("nominations", use: list)
        routes.get("nominations", ":nominationID", use: show)
        routes.get("nominations", ":nominationID", "photo", use: photo)
    }

    /// Committee operator routes, registered behind `RequireRole(.committee)`.
    struct Entry: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("nominations", "new", use: newForm)
            routes.post("nominations", use: create)
            routes.get("nominations", ":nominationID", "edit", use: editForm)
            routes.post("nominations", ":nominationID", use: update)
            routes.post("nominations", ":nominationID", "submit", use: submit)
            routes.post("nominations", ":nominationID", "withdraw", use: withdraw)
            routes.on(.POST, "nominations", ":nominationID", "photo", body: .collect(maxSize: "6mb"), use: uploadPhoto)
                .bodyLimit(6 * 1024 * 1024)
        }
    }

    /// Loads a nomination the user may see; another committee's is "not found".
    static func load(_ req: Request) async throws -> Nomination {
        let user = try req.requireUser()
        guard let nomination = try await Nomination.query(on: req.db).filter(\.$id == req.intParameter("nominationID"))
            .with(\.$committee).with(\.$campaign).first() else { throw Abort(.notFound) }
        try user.requireCanSee(committeeID: nomination.$committee.id)
        return nomination
    }

    /// The campaign taking this committee's nominations now (its deadline extended for it, if so), if any.
    static func openCampaign(on db: any Database, now: Date, committeeID: Int?) async throws -> Campaign? {
        let recent = try await Campaign.query(on: db).sort(\.$issuedOn, .descending).limit(20).all()
        for campaign in recent where campaign.issued.start <= now {
            if now < (try await campaign.deadlineEnd(for: committeeID, on: db)) { return campaign }
        }
        return nil
    }
}

// MARK: Reading

extension NominationController {
    struct Row: Encodable {
        let id: Int
        let name: String
        let category: String
        let committee: String
        let state: String
        let updated: String
    }

    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
        let q: String
        let committees: [SelectOption]
        let categories: [SelectOption]
        let states: [SelectOption]
        let canCreate: Bool
        let canFilterCommittee: Bool
    }

    @Sendable func list(req: Request) async throws -> View {
        let user = try req.requireUser()
        var query = Nomination.query(on: req.db).with(\.$committee).sort(\.$id, .descending)
        var base: [(String, String)] = []
        let committeeFilter = user.role.seesAllCommittees ? req.query[Int.self, at: "committee"] : user.committeeID
        if let committeeFilter {
            query = query.filter(\.$committee.$id == committeeFilter)
            if user.role.seesAllCommittees { base.append(("committee", "\(committeeFilter)")) }
        } else if !user.role.seesAllCommittees {
            throw Abort(.forbidden)
        }
        let category = req.query[String.self, at: "category"].flatMap(NominationCategory.init(rawValue:))
        if let category { query = query.filter(\.$category == category.rawValue); base.append(("category", category.rawValue)) }
        let state = req.query[String.self, at: "state"].flatMap(NominationState.init(rawValue:))
        if let state { query = query.filter(\.$state == state.rawValue); base.append(("state", state.rawValue)) }
        let q = String(TextInput.line(req.query[String.self, at: "q"] ?? "").prefix(30))
        if !q.isEmpty { query = query.filter(\.$displayName ~~ q); base.append(("q", q)) }
        let baseQuery = base.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let (nominations, pageInfo) = try await PageInfo.fetch(query, req: req, baseQuery: baseQuery)
        let rows = try nominations.map {
            Row(id: try $0.requireID(), name: $0.displayName, category: $0.categoryValue.label,
                committee: $0.committee.name, state: $0.stateValue.label, updated: DateFormatting.minute($0.updatedAt))
        }
        let committees = user.role.seesAllCommittees
            ? try await Committee.query(on: req.db).sort(\.$sortOrder).all().map {
                SelectOption(value: "\($0.id ?? 0)", label: $0.name, selected: $0.id == committeeFilter)
            } : []
        return try await req.page("nominations", title: "推荐对象", ListView(
            rows: rows, pageInfo: pageInfo, q: q, committees: committees,
            categories: NominationCategory.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == category) },
            states: NominationState.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == state) },
            canCreate: user.role == .committee, canFilterCommittee: user.role.seesAllCommittees))
    }

    struct Shown: Encodable {
        let label: String
        let value: String
    }

    struct ShowView: Encodable {
        let id: Int
        let version: Int
        let name: String
        let category: String
        let categoryLabel: String
        let committee: String
        let campaign: String
        let state: String
        let stateLabel: String
        let fields: [Shown]
        let missing: [String]
        let problems: [String]
        let warnings: [String]
        let complete: Bool
        let deedsCount: Int
        let attestations: [FormViews.AttestationView]
        let hasPhoto: Bool
        let canEdit: Bool
        let canSubmit: Bool
        let canWithdraw: Bool
        /// LibreOffice is installed: the PDF download is offered, otherwise the page says it is not.
        let pdfAvailable: Bool
        let quota: QuotaTable.Cell?
        let opinion: [String: String]
        let errors: [String: String]
        let notice: String?
        let submittedAt: String?
        let hasMissing: Bool
        let hasProblems: Bool
        let hasWarnings: Bool
    }

    static func showView(_ nomination: Nomination, req: Request, opinion: [String: String] = [:],
                         errors: [String: String] = [:], notice: String? = nil) async throws -> ShowView {
        let user = try req.requireUser()
        let service = try NominationService(req: req)
        let input = try service.storedInput(nomination)
        let campaign = nomination.campaign
        let result = try await service.check(input, campaign: campaign, excluding: nomination.id)
        var shown: [Shown] = []
        for spec in NominationForm.fields(for: nomination.categoryValue) {
            var value = result.cleaned[spec.key] ?? input.values[spec.key] ?? ""
            if NominationService.sensitiveKeys.contains(spec.key) { value = NominationService.masked(spec.key, value) }
            if case .choice(let choices) = spec.kind { value = choices.first { $0.value == value }?.label ?? value }
            if case .yesNo = spec.kind { value = value == "yes" ? "是" : (value == "no" ? "否" : "") }
            shown.append(Shown(label: spec.label, value: value))
        }
        let state = nomination.stateValue
        let mine = user.role == .committee && user.committeeID == nomination.$committee.id
        let open = !(try await service.deadlinePassed(campaign, committeeID: nomination.$committee.id))
        let quota = try await QuotaUsage.cell(campaignID: try campaign.requireID(), committeeID: nomination.$committee.id,
                                              category: nomination.category, on: req.db)
        var opinionValues = opinion
        for key in ["committee_opinion", "committee_signer", "committee_opinion_date"] where opinionValues[key] == nil {
            opinionValues[key] = nomination.values[key] ?? (key == "committee_opinion_date" ? DayStamp(req.now).description : "")
        }
        let problems = result.issues.filter(\.isError).map { "\(NominationForm.label(of: $0.field))：\($0.message)" }
        var warnings = result.issues.filter { !$0.isError }.map { "\(NominationForm.label(of: $0.field))：\($0.message)" }
        // The photo's shape is read again from the stored file: a far-off shape is a warning, not an error.
        if let name = nomination.photoFile, let data = try PhotoStore(app: req.application).read(name) {
            warnings += PhotoCheck.check(data).issues.filter { !$0.isError }.map { "二寸免冠照片：\($0.message)" }
        }
        return ShowView(
            id: try nomination.requireID(), version: nomination.version, name: nomination.displayName,
            category: nomination.category, categoryLabel: nomination.categoryValue.label,
            committee: nomination.committee.name, campaign: campaign.documentNumber, state: state.rawValue,
            stateLabel: state.label, fields: shown,
            missing: result.missing.map(NominationForm.label(of:)),
            problems: problems, warnings: warnings,
            complete: result.isComplete, deedsCount: result.deedsCount,
            attestations: FormViews.attestations(checked: input.attestations, records: nomination.attestationRecords),
            hasPhoto: nomination.photoFile != nil,
            canEdit: mine && state.isEditableByCommittee && open,
            canSubmit: mine && state.isEditableByCommittee && open && result.isComplete,
            canWithdraw: mine && state.canWithdraw,
            pdfAvailable: req.application.pdf.available,
            quota: quota, opinion: opinionValues, errors: errors, notice: notice,
            submittedAt: nomination.submittedAt.map(DateFormatting.minute),
            hasMissing: !result.missing.isEmpty, hasProblems: !problems.isEmpty, hasWarnings: !warnings.isEmpty)
    }

    @Sendable func show(req: Request) async throws -> View {
        let nomination = try await Self.load(req)
        let notice = req.query[String.self, at: "notice"].flatMap { Self.notices[$0] }
        return try await req.page("nomination", title: nomination.displayName,
                                  try await Self.showView(nomination, req: req, notice: notice))
    }

    static let notices = [
        "saved": "已保存草稿。", "submitted": "已上报联盟。", "withdrawn": "已撤回，可修改后重新上报。",
        "photo": "照片已上传。",
    ]
}
