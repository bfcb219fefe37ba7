import Fluent
import Foundation
import HonorsCore
import Vapor

/// Entering nominations: the form for a new one, saving drafts, and the edit form.
extension NominationController {
    struct Difference: Encodable {
        let label: String
        let yours: String
        let saved: String
    }

    struct FormView: Encodable {
        let id: Int?
        let version: Int
        let category: String
        let categoryLabel: String
        let formTitle: String
        let campaign: String
        let fields: [FieldView]
        /// 行业党委意见, 书记签字, 日期: printed on the form, entered here before printing.
        let opinionFields: [FieldView]
        let attestations: [FormViews.AttestationView]
        let isPerson: Bool
        let quota: QuotaTable.Cell?
        let deedsTarget: Int
        let deedsLow: Int
        let deedsHigh: Int
        let notice: String?
        let conflict: String?
        let differences: [Difference]
        /// A new form's key (`CreationKey`), kept when the form comes back with a refusal.
        var creationKey: String? = nil
        /// Why nothing was saved, shown above the form (the field's own message stays beside it).
        var refusal: String? = nil
    }

    /// Everything the form posted except the technical fields, and the attestations ticked.
    static func input(from form: [String: String], category: NominationCategory) -> NominationInput {
        let attestationKeys = Set(NominationForm.attestations.map(\.key))
        var values: [String: String] = [:]
        for (key, value) in form where !["_csrf", "version", "category", "creation_key"].contains(key) && !attestationKeys.contains(key) {
            values[key] = value
        }
        let ticked = Set(form.filter { attestationKeys.contains($0.key) && $0.value == "1" }.keys)
        return NominationInput(category: category, values: values, attestations: ticked)
    }

    static func formView(category: NominationCategory, campaign: Campaign, committeeID: Int, nomination: Nomination?,
                         values: [String: String], issues: [FieldIssue], attestations: Set<String>,
                         notice: String? = nil, conflict: String? = nil, differences: [Difference] = [],
                         version: Int? = nil, req: Request) async throws -> FormView {
        var masked: [String: String] = [:]
        var idNumber = TextInput.line(values["id_number"] ?? "")
        if let nomination {
            let saved = try NominationService.personalData(of: nomination, secrets: req.application.secrets)
            for (key, value) in saved where (values[key] ?? "").isEmpty {
                masked[key] = NominationService.masked(key, value)
            }
            if idNumber.isEmpty { idNumber = saved["id_number"] ?? "" }
        }
        // 曾获表彰: honours on record from closed campaigns, offered for 受表彰情况.
        let campaignID = try campaign.requireID()
        let honours = category.isPerson
            ? try await PastHonours.of(idHashes: idNumber.isEmpty ? [] : req.application.secrets.keyedHashes(TextInput.halfWidth(idNumber).uppercased()),
                                       excludingCampaign: campaignID, on: req.db)
            : try await PastHonours.of(orgName: values["org_name"] ?? "", orgUnit: values["org_unit"] ?? "",
                                       excludingCampaign: campaignID, on: req.db)
        let offers = PastHonours.offer(honours).map { ["honors_received": $0] } ?? [:]
        let quota = try await QuotaUsage.cell(campaignID: try campaign.requireID(), committeeID: committeeID, category: category.rawValue,
                                              quotas: try await req.reference.quotas(campaignID: campaign.requireID()), at: req.now, on: req.db)
        let policy = DeedsLengthPolicy(settings: campaign.settings)
        return FormView(
            id: nomination?.id, version: version ?? nomination?.version ?? 0, category: category.rawValue,
            categoryLabel: category.label, formTitle: category.formTitle, campaign: campaign.documentNumber,
            fields: FormViews.fields(NominationForm.fields(for: category), values: values, issues: issues, masked: masked,
                                     offers: offers),
            opinionFields: FormViews.fields(NominationForm.committeeFields, values: values, issues: issues),
            attestations: FormViews.attestations(checked: attestations, records: nomination?.attestationRecords ?? [:]),
            isPerson: category.isPerson, quota: quota, deedsTarget: policy.target,
            deedsLow: policy.softMinimum, deedsHigh: policy.softMaximum,
            notice: notice, conflict: conflict, differences: differences)
    }

    static func refusal(_ duplicate: NominationService.DuplicatePerson) -> String {
        "未保存：" + (duplicate.check.issues.last { $0.field == "id_number" }?.message ?? "")
    }

}

extension NominationController.Entry {
    private typealias Form = NominationController

    private func requireOpen(_ req: Request) async throws -> Campaign {
        try await NominationController.requireOpenCampaign(req)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let category = req.queryValue("category").flatMap(NominationCategory.init(rawValue:)) else {
            throw Abort(.notFound)
        }
        let campaign = try await requireOpen(req)
        var view = try await Form.formView(category: category, campaign: campaign, committeeID: user.committeeID ?? 0,
                                           nomination: nil, values: [:], issues: [], attestations: [], req: req)
        view.creationKey = CreationKey.draw()
        return try await Form.render(view, req: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode([String: String].self)
        guard let category = form["category"].flatMap(NominationCategory.init(rawValue:)) else { throw Abort(.badRequest) }
        let campaign = try await requireOpen(req)
        let input = Form.input(from: form, category: category)
        let creationKey = CreationKey(form["creation_key"])
        do {
            switch try await NominationService(req: req).save(input, campaign: campaign, existing: nil, expectedVersion: nil,
                                                              creationKey: creationKey) {
            case .saved(let id, _):
                return req.redirect(to: "/nominations/\(id)/edit?notice=saved")
            case .stale:
                throw Abort(.conflict)
            }
        } catch let duplicate as NominationService.DuplicatePerson {
            var view = try await Form.formView(category: category, campaign: campaign, committeeID: user.committeeID ?? 0,
                                               nomination: nil, values: input.values, issues: duplicate.check.issues,
                                               attestations: input.attestations, req: req)
            view.refusal = Form.refusal(duplicate)
            view.creationKey = creationKey?.value
            return try await Form.render(view, req: req, status: .conflict)
        }
    }

}

extension NominationController {
    /// The campaign taking this committee's entries, or the refusal that says the deadline passed and whom to ask.
    static func requireOpenCampaign(_ req: Request) async throws -> Campaign {
        let committeeID = try req.requireUser().committeeID
        if let campaign = try await NominationController.openCampaign(on: req.db, now: req.now, committeeID: committeeID) {
            return campaign
        }
        let latest = try await Campaign.query(on: req.db).sort(\.$issuedOn, .descending).first()
        let lastDay = try await latest.asyncMap { try await CampaignDeadlines.load($0, on: req.db).lastDay(for: committeeID ?? 0) } ?? nil
        let contact = latest?.contactLine ?? ""
        throw ExplainedRefusal(status: .conflict, title: "已过报送截止时间",
                               message: Refusal.entriesClosed(deadline: lastDay, verb: "新建推荐").message + contact)
    }

    static func render(_ view: FormView, req: Request, status: HTTPStatus = .ok) async throws -> Response {
        try await req.page("nomination-form", title: view.formTitle, view, status: status)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let nomination = try await Self.load(req, for: .save).nomination
        let service = try NominationService(req: req)
        let stored = try service.storedInput(nomination)
        let result = try await service.check(stored, campaign: nomination.campaign, excluding: nomination.id)
        var values = result.cleaned
        values["id_number"] = nil
        values["phone"] = nil
        let notice = req.queryValue("notice").flatMap { NominationController.notices[$0] }
        return try await Self.render(try await Self.formView(
            category: nomination.categoryValue, campaign: nomination.campaign, committeeID: nomination.$committee.id,
            nomination: nomination, values: values, issues: result.issues, attestations: stored.attestations,
            notice: notice, req: req), req: req)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let nomination = try await Self.load(req, for: .save).nomination
        let campaign = nomination.campaign
        let service = try NominationService(req: req)
        let form = try req.content.decode([String: String].self)
        var input = Self.input(from: form, category: nomination.categoryValue)
        input.hasPhoto = nomination.photoFile != nil
        // Blank ID number or phone means "keep what is saved": the page never shows them in full.
        let stored = try service.storedInput(nomination)
        for key in NominationService.sensitiveKeys where TextInput.line(input.values[key] ?? "").isEmpty {
            input.values[key] = stored.values[key]
        }
        let expected = Int(form["version"] ?? "") ?? -1
        do {
            switch try await service.save(input, campaign: campaign, existing: nomination, expectedVersion: expected) {
            case .saved(let id, _):
                return req.redirect(to: "/nominations/\(id)/edit?notice=saved")
            case .stale(let result):
                // Someone saved in between: keep what this user typed, show what differs from the saved version.
                guard let fresh = try await Nomination.query(on: req.db).filter(\.$id == nomination.id!)
                    .with(\.$campaign).with(\.$committee).first() else { throw Abort(.notFound) }
                let saved = try service.storedInput(fresh).values
                let differences = (NominationForm.fields(for: nomination.categoryValue) + NominationForm.committeeFields).compactMap { spec -> Difference? in
                    guard !NominationService.sensitiveKeys.contains(spec.key) else { return nil }
                    let mine = result.cleaned[spec.key] ?? "", theirs = saved[spec.key] ?? ""
                    return mine == theirs ? nil : Difference(label: spec.label, yours: mine, saved: theirs)
                }
                var values = input.values
                for key in NominationService.sensitiveKeys { values[key] = nil }
                let view = try await Self.formView(
                    category: nomination.categoryValue, campaign: campaign, committeeID: nomination.$committee.id,
                    nomination: fresh, values: values, issues: result.issues, attestations: input.attestations,
                    conflict: "保存失败：在您编辑期间，此推荐已被他人修改并保存。您填写的内容仍在下方，未保存；请对照下表的差异，确认后再次保存（将以您的内容为准）。",
                    differences: differences, version: fresh.version, req: req)
                return try await Self.render(view, req: req, status: .conflict)
            }
        } catch let duplicate as NominationService.DuplicatePerson {
            var values = input.values
            for key in NominationService.sensitiveKeys { values[key] = nil }
            var view = try await Self.formView(category: nomination.categoryValue, campaign: campaign,
                                               committeeID: nomination.$committee.id, nomination: nomination,
                                               values: values, issues: duplicate.check.issues,
                                               attestations: input.attestations, req: req)
            view.refusal = Self.refusal(duplicate)
            return try await Self.render(view, req: req, status: .conflict)
        }
    }
}
