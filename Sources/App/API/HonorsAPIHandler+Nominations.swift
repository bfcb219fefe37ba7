import Fluent
import Foundation
import HonorsAPI
import HonorsCore
import Vapor

/// Nominations through the API: listed as the page lists them, each read as its page reads it (ID number and
/// phone as `PersonalDataPolicy` says for the API), saved by `NominationService`, moved by the workflow.
extension HonorsAPIHandler {
    func listNominations(_ input: Operations.ListNominations.Input) async throws -> Operations.ListNominations.Output {
        let req = try Request.api
        let user = try req.requireUser()
        let query = input.query
        let listing = NominationListing(committee: query.committee, state: query.state.flatMap { NominationState(rawValue: $0.rawValue) },
                                        category: query.category.flatMap { NominationCategory(rawValue: $0.rawValue) },
                                        campaign: query.campaign)
        let page = query.page ?? 1, perPage = query.perPage ?? 50
        guard (1...100_000).contains(page), (1...200).contains(perPage) else { throw Abort(.badRequest) }
        let selection = try listing.select(["id", "campaign_id", "committee_id", "category", "state", "display_name", "version",
                                            "updated_at", "submitted_at"], for: user, on: req.db)
        for (expression, direction) in selection.order { selection.select.orderBy(expression, direction) }
        let names = try await CommitteeDirectory.load(on: req.db).names
        let rows = try await selection.select.offset((page - 1) * perPage).limit(perPage).all()
        return .ok(.init(body: .json(.init(
            items: try rows.map { row in
                let committeeID = try row.decode(column: "committee_id", as: Int.self)
                return .init(id: try row.decode(column: "id", as: Int.self), campaignId: try row.decode(column: "campaign_id", as: Int.self),
                             committeeId: committeeID, committee: names[committeeID] ?? "",
                             category: .init(NominationCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .member),
                             state: .init(NominationState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft),
                             name: try row.decode(column: "display_name", as: String.self), version: try row.decode(column: "version", as: Int.self),
                             updatedAt: try row.decode(column: "updated_at", as: Date?.self) ?? req.now,
                             submittedAt: try row.decode(column: "submitted_at", as: Date?.self))
            },
            page: page, perPage: perPage, total: try await selection.tallies.total(on: req.db)))))
    }

    func getNomination(_ input: Operations.GetNomination.Input) async throws -> Operations.GetNomination.Output {
        let req = try Request.api
        return .ok(.init(body: .json(try await Self.view(NominationController.load(input.path.nominationId, req: req), req: req))))
    }

    func createNomination(_ input: Operations.CreateNomination.Input) async throws -> Operations.CreateNomination.Output {
        let req = try Request.api
        guard try req.requireUser().role == .committee else {
            throw ExplainedRefusal(status: .forbidden, title: "不能新建推荐", message: "只有行业党委的令牌可以新建推荐。")
        }
        guard case .json(let body) = input.body, let category = NominationCategory(rawValue: body.category.rawValue) else {
            throw Abort(.badRequest)
        }
        let campaign = try await NominationController.requireOpenCampaign(req)
        let values = Self.values(body.values)
        try Self.refuseMasked(values)
        let nominationInput = NominationInput(category: category, values: values, attestations: Set(body.attestations ?? []))
        guard case .saved(let id, _) = try await NominationService(req: req).save(nominationInput, campaign: campaign, existing: nil,
                                                                                 expectedVersion: nil) else { throw TransitionError.stale }
        return .created(.init(body: .json(try await Self.view(NominationController.load(id, req: req), req: req))))
    }

    func updateNomination(_ input: Operations.UpdateNomination.Input) async throws -> Operations.UpdateNomination.Output {
        let req = try Request.api
        guard case .json(let body) = input.body else { throw Abort(.badRequest) }
        let loaded = try await NominationController.load(input.path.nominationId, req: req, for: .save)
        let nomination = loaded.nomination
        let service = try NominationService(req: req)
        var nominationInput = NominationInput(category: nomination.categoryValue, values: Self.values(body.values),
                                              attestations: Set(body.attestations ?? []), hasPhoto: nomination.photoFile != nil)
        // Left out, blank or sent back as read (masked), the ID number and phone stay what is stored: they are
        // never read back in full, and a masked value saved would lose the real one.
        let stored = try service.storedInput(nomination)
        for key in NominationService.sensitiveKeys {
            let sent = TextInput.line(nominationInput.values[key] ?? "")
            if sent.isEmpty || stored.values[key].map({ NominationService.masked(key, $0) }) == sent {
                nominationInput.values[key] = stored.values[key]
            }
        }
        try Self.refuseMasked(nominationInput.values)
        switch try await service.save(nominationInput, campaign: nomination.campaign, existing: nomination, expectedVersion: body.version) {
        case .saved(let id, _):
            return .ok(.init(body: .json(try await Self.view(NominationController.load(id, req: req), req: req))))
        case .stale:
            throw TransitionError.stale
        }
    }

    func actOnNomination(_ input: Operations.ActOnNomination.Input) async throws -> Operations.ActOnNomination.Output {
        let req = try Request.api
        guard case .json(let body) = input.body else { throw Abort(.badRequest) }
        let id = input.path.nominationId
        let transitions = try NominationTransitions(req: req)
        switch input.path.action {
        case .submit:
            _ = try await NominationController.load(id, req: req, for: .submit)
            try await transitions.submit(id, expectedVersion: body.version)
        case .withdraw:
            _ = try await NominationController.load(id, req: req, for: .withdraw)
            try await transitions.withdraw(id, expectedVersion: body.version)
        case ._return:
            _ = try await NominationController.load(id, req: req, for: .return)
            let checked = try NominationTransitions.returnInput(reason: body.reason, fixBy: body.fixBy, today: DayStamp(req.now),
                                                                calendar: try await WorkingCalendar.load(on: req.db)).get()
            try await transitions.sendBack(id, expectedVersion: body.version, checked)
        case .approve:
            _ = try await NominationController.load(id, req: req, for: .approve)
            let checked = try NominationTransitions.approveInput(opinion: body.opinion, date: body.opinionDate, today: DayStamp(req.now)).get()
            try await transitions.approve(id, expectedVersion: body.version, checked)
        case .reject:
            _ = try await NominationController.load(id, req: req, for: .reject)
            let reason = try NominationTransitions.reasonInput(body.reason, what: "不予通过", errorKey: "reason").get()
            try await transitions.reject(id, expectedVersion: body.version, reason: reason)
        }
        return .ok(.init(body: .json(try await Self.view(NominationController.load(id, req: req), req: req))))
    }

    /// A masked ID number or phone is not one: refused by its field, nothing stored.
    static func refuseMasked(_ values: [String: String]) throws {
        let masked = NominationService.sensitiveKeys.filter { values[$0]?.contains("*") == true }
        guard masked.isEmpty else {
            throw TransitionError.invalid(Dictionary(uniqueKeysWithValues: masked.map {
                ($0, "\(NominationForm.label(of: $0))是遮盖后的显示值，不能保存：请填写完整的号码，或不填以保留原有号码。")
            }))
        }
    }

    /// The values sent, under the keys of the forms.
    static func values(_ values: Components.Schemas.Values) -> [String: String] {
        values.additionalProperties
    }

    /// A nomination as the API shows it: its values (ID number and phone as the policy says), whether it is
    /// complete, and what stands between it and 上报.
    static func view(_ loaded: NominationController.Loaded, req: Request) async throws -> Components.Schemas.Nomination {
        let nomination = loaded.nomination
        let user = try req.requireUser()
        let service = try NominationService(req: req)
        let stored = try service.storedInput(nomination)
        let result = try await service.check(stored, campaign: nomination.campaign, excluding: nomination.id)
        var values = result.cleaned
        let disclosure = user.disclosure(.api, committeeID: nomination.$committee.id)
        for key in NominationService.sensitiveKeys {
            guard let value = stored.values[key], !value.isEmpty else { values[key] = nil; continue }
            values[key] = disclosure == .full ? value : disclosure == .masked ? NominationService.masked(key, value) : nil
        }
        var problems = result.issues.filter(\.isError).map { Components.Schemas.FieldError(field: $0.field, message: $0.message) }
        problems += result.missing.map { .init(field: $0, message: "请填写\(NominationForm.label(of: $0))") }
        if nomination.stateValue == .draft || nomination.stateValue == .returned {
            for (field, message) in NominationService.submitProblems(result, scan: nomination.scanState, campaign: nomination.campaign)
                where field != "form" { problems.append(.init(field: field, message: message)) }
        }
        return .init(id: loaded.id, campaignId: nomination.$campaign.id, committeeId: nomination.$committee.id,
                     committee: nomination.committee.name, category: .init(nomination.categoryValue), state: .init(nomination.stateValue),
                     name: nomination.displayName, version: nomination.version, values: .init(additionalProperties: values),
                     attestations: stored.attestations.sorted(), complete: result.isComplete, problems: problems,
                     decisionReason: nomination.decisionReason, fixBy: nomination.fixBy, allianceOpinion: nomination.allianceOpinion)
    }
}

extension Components.Schemas.State {
    init(_ state: NominationState) {
        self = Self(rawValue: state.rawValue) ?? .draft
    }
}
