import Fluent
import Foundation
import HonorsCore
import Vapor

/// 公示与表彰 (`/campaigns/{id}/publicity`), the administrator's: choose the 拟表彰 list and start the 公示,
/// record how each objection was checked, confirm the list after the period, issue the 表彰决定 with its
/// certificates, and close the campaign. Each page section shows the stage the campaign is in.
struct PublicityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let campaign = routes.grouped("campaigns", ":campaignID")
        campaign.get("publicity", use: page)
        campaign.on(.POST, "publicity", body: .collect(maxSize: "4mb"), use: start)
        campaign.post("publicity", "clear", use: clear)
        campaign.get("publicity", "notice.docx") { try await notice(req: $0, pdf: false) }
        campaign.get("publicity", "notice.pdf") { try await notice(req: $0, pdf: true) }
        campaign.post("objections", ":objectionID", use: decideObjection)
        campaign.get("objections", ":objectionID", "contact", use: objectorContact)
        campaign.get("objections", ":objectionID", "attachment", use: attachment)
        campaign.post("commendation", use: commend)
        campaign.get("commendation", "decision.docx") { try await decision(req: $0, pdf: false) }
        campaign.get("commendation", "decision.pdf") { try await decision(req: $0, pdf: true) }
        campaign.get("commendation", "decision.xlsx", use: decisionXlsx)
        campaign.get("commendation", "certificates.docx") { try await certificates(req: $0, pdf: false) }
        campaign.get("commendation", "certificates.pdf") { try await certificates(req: $0, pdf: true) }
        campaign.post("close", use: close)
    }

    static func campaign(_ req: Request) async throws -> Campaign {
        guard let id = req.parameters.get("campaignID", as: Int.self), let campaign = try await Campaign.find(id, on: req.db)
        else { throw Abort(.notFound) }
        return campaign
    }

    // MARK: The page

    struct Candidate: Encodable {
        let id: Int
        let version: Int
        let name: String
        let committee: String
        let category: String
        let summary: String
        let checked: Bool
        let error: String?
    }

    struct ObjectionRow: Encodable {
        let id: Int
        let version: Int
        let nominee: String
        let objector: String
        let phone: String
        let content: String
        let filedAt: String
        let outcome: String?
        let note: String?
        let error: String?
        let typedNote: String
        let hasAttachment: Bool
    }

    struct Counts: Encodable {
        let approved: Int
        let publicizing: Int
        let cleared: Int
        let disqualified: Int
        let commended: Int
    }

    struct PageView: Encodable {
        let campaignID: Int
        let campaign: String
        let title: String
        let closed: Bool
        let counts: Counts
        /// Before the 公示: the approved nominations to choose from, and the plan's fields as typed.
        let started: Bool
        let candidates: [Candidate]
        let candidateCount: Int
        let input: [String: String]
        let errors: [String: String]
        /// During and after it.
        let period: String?
        let ended: Bool
        let contact: String?
        let objections: [ObjectionRow]
        let hasObjections: Bool
        let openObjections: Int
        /// The decision.
        let decided: Bool
        let decision: [String: String]
        let certificates: Int
        let pdfAvailable: Bool
        let notice: String?
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, input: [:], errors: [:])
    }

    /// The page, shown again after a refused step (`status`) with what was typed and the messages beside it.
    private func render(_ req: Request, status: HTTPStatus = .ok, input: [String: String], errors: [String: String],
                        chosen: Set<Int>? = nil, summaries: [Int: String] = [:], summaryErrors: [Int: String] = [:],
                        objectionErrors: [Int: String] = [:], typedNotes: [Int: String] = [:]) async throws -> Response {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        let publicity = try await Publicity.of(campaign: campaignID, on: req.db)
        let commendation = try await Commendation.of(campaign: campaignID, on: req.db)
        var counts: [String: Int] = [:]
        for state in [NominationState.approved, .publicizing, .cleared, .disqualified, .commended] {
            counts[state.rawValue] = try await Nomination.query(on: req.db).filter(\.$campaign.$id == campaignID)
                .filter(\.$state == state.rawValue).count()
        }
        var candidates: [Candidate] = []
        if publicity == nil {
            let list = try await HonourList.load(campaignID: campaignID, states: [.approved], on: req.db)
            candidates = list.entries.map { e in
                Candidate(id: e.id, version: e.version, name: e.name, committee: e.committee, category: e.category.label,
                          summary: summaries[e.id] ?? e.summary, checked: chosen?.contains(e.id) ?? true, error: summaryErrors[e.id])
            }
        }
        var objections: [ObjectionRow] = []
        if publicity != nil {
            let names = Dictionary(uniqueKeysWithValues: try await Nomination.query(on: req.db).filter(\.$campaign.$id == campaignID)
                .filter(\.$state ~~ NominationState.afterApproval.map(\.rawValue)).field(\.$id).field(\.$displayName).all()
                .compactMap { n in n.id.map { ($0, n.displayName) } })
            let box = req.application.secrets
            objections = try await Objection.query(on: req.db).filter(\.$campaign.$id == campaignID).sort(\.$id).all().map { o in
                let id = try o.requireID()
                let name = (try? box.open(o.objectorNameSealed)) ?? ""
                let phone = (try? box.open(o.objectorPhoneSealed)) ?? ""
                return ObjectionRow(id: id, version: o.version, nominee: names[o.$nomination.id] ?? "", objector: PersonName.masked(name),
                                    phone: (try? PhoneNumber(phone).masked) ?? "***", content: o.content,
                                    filedAt: DateFormatting.minute(o.createdAt), outcome: o.outcomeValue?.label, note: o.checkNote,
                                    error: objectionErrors[id], typedNote: typedNotes[id] ?? "", hasAttachment: o.attachmentFile != nil)
            }
        }
        let today = DayStamp(req.now)
        var decision = input
        if commendation == nil, decision["decision_number"] == nil {
            let proposed = DecisionText.proposed(awardYear: campaign.awardYear, documentNumber: campaign.documentNumber,
                                                 issuingBody: Notice2024.issuingBody, today: today)
            decision = ["decision_number": proposed.number, "decision_title": proposed.title,
                        "decision_preamble": proposed.preamble, "issuing_body": proposed.issuingBody,
                        "issued_on": proposed.issuedOn.description]
        } else if let commendation {
            decision = ["decision_number": commendation.number, "decision_title": commendation.title,
                        "issuing_body": commendation.issuingBody, "issued_on": commendation.issuedOn]
        }
        var planInput = input
        if publicity == nil {
            let calendar = try await WorkingCalendar.load(on: req.db)
            let start = (try? calendar.period(startingOn: today, workingDays: 1).first) ?? today
            planInput["start_on"] = planInput["start_on"] ?? start.description
            planInput["working_days"] = planInput["working_days"] ?? "\(PublicityPlan.defaultWorkingDays)"
            planInput["contact_unit"] = planInput["contact_unit"] ?? campaign.contactUnit
            planInput["contact_phone"] = planInput["contact_phone"] ?? campaign.contactPhone
        }
        let certificates = try await Certificate.query(on: req.db).filter(\.$campaign.$id == campaignID).count()
        let notice: String? = switch req.queryValue("notice") {
        case "started": "公示已开始，公示页面已对外开放。"
        case "decided": "核查结果已登记。"
        case "cleared": "已确认公示无异议。"
        case "commended": "表彰决定已作出，荣誉证书已编号。"
        case "closed": "本次推荐活动已结束归档。"
        default: nil
        }
        return try await req.page("publicity", title: "公示与表彰", PageView(
            campaignID: campaignID, campaign: campaign.documentNumber, title: campaign.title, closed: campaign.closedAt != nil,
            counts: Counts(approved: counts["approved"] ?? 0, publicizing: counts["publicizing"] ?? 0, cleared: counts["cleared"] ?? 0,
                           disqualified: counts["disqualified"] ?? 0, commended: counts["commended"] ?? 0),
            started: publicity != nil, candidates: candidates, candidateCount: candidates.count, input: planInput, errors: errors,
            period: publicity.map { "\($0.period.chinese)（\($0.workingDays)个工作日）" },
            ended: publicity?.period.hasEnded(at: req.now) ?? false,
            contact: publicity.map { p in [p.contactUnit, p.contactPhone, p.contactAddress].filter { !$0.isEmpty }.joined(separator: "　") },
            objections: objections, hasObjections: !objections.isEmpty, openObjections: objections.filter { $0.outcome == nil }.count,
            decided: commendation != nil, decision: decision, certificates: certificates,
            pdfAvailable: req.application.pdf.available, notice: notice), status: status)
    }

    // MARK: Starting

    struct StartInput: Content {
        var ids: [String]?
        var start_on: String?
        var working_days: String?
        var contact_unit: String?
        var contact_phone: String?
        var contact_address: String?
    }

    @Sendable func start(req: Request) async throws -> Response {
        let campaign = try await Self.campaign(req)
        let input = try req.content.decode(StartInput.self)
        let typed: [String: String] = ["start_on": input.start_on ?? "", "working_days": input.working_days ?? "",
                                       "contact_unit": input.contact_unit ?? "", "contact_phone": input.contact_phone ?? "",
                                       "contact_address": input.contact_address ?? ""]
        var chosen: [NominationTransitions.Chosen] = []
        var summaries: [Int: String] = [:]
        var summaryErrors: [Int: String] = [:]
        for pair in input.ids ?? [] {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let id = Int(parts[0]), let version = Int(parts[1]) else { continue }
            let summary = TextInput.block((try? req.content.get(String.self, at: "summary_\(id)")) ?? "")
            summaries[id] = summary
            if summary.isEmpty { summaryErrors[id] = "请填写事迹摘要，将在公示名单上发布。" }
            else if let problem = NominationTransitions.summaryProblem(summary) { summaryErrors[id] = problem }
            chosen.append(.init(id: id, version: version, summary: summary))
        }
        var errors: [String: String] = [:]
        let plan = PublicityPlan.parse(startOn: input.start_on, workingDays: input.working_days, contactUnit: input.contact_unit,
                                       contactPhone: input.contact_phone, contactAddress: input.contact_address,
                                       today: DayStamp(req.now), calendar: try await WorkingCalendar.load(on: req.db))
        if case .failure(let failure) = plan { errors = failure.messages }
        if chosen.isEmpty { errors["ids"] = "请至少选择一个拟表彰对象。" }
        if !summaryErrors.isEmpty { errors["ids"] = "有 \(summaryErrors.count) 个拟表彰对象的事迹摘要需要修改，见名单中标出的行。" }
        func again(_ errors: [String: String], status: HTTPStatus = .unprocessableEntity) async throws -> Response {
            try await render(req, status: status, input: typed, errors: errors, chosen: Set(chosen.map(\.id)),
                             summaries: summaries, summaryErrors: summaryErrors)
        }
        guard errors.isEmpty, case .success(let plan) = plan else { return try await again(errors) }
        do {
            try await NominationTransitions(req: req).startPublicity(campaign: campaign, plan: plan, chosen: chosen)
        } catch let error as TransitionError {
            let message = switch error {
            case .stale: "名单中有推荐刚刚被他人处理，页面已更新，请核对名单后重新开始公示。"
            default: error.pageErrors["form"] ?? error.pageErrors.values.first ?? "无法开始公示。"
            }
            return try await again(["form": message], status: error.status)
        }
        return req.redirect(to: "/campaigns/\(try campaign.requireID())/publicity?notice=started")
    }

    // MARK: Objections

    struct OutcomeInput: Content {
        var version: Int?
        var outcome: String?
        var check_note: String?
    }

    @Sendable func decideObjection(req: Request) async throws -> Response {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        guard let objectionID = req.parameters.get("objectionID", as: Int.self) else { throw Abort(.notFound) }
        let input = try req.content.decode(OutcomeInput.self)
        func again(_ message: String, status: HTTPStatus) async throws -> Response {
            try await render(req, status: status, input: [:], errors: [:], objectionErrors: [objectionID: message],
                             typedNotes: [objectionID: input.check_note ?? ""])
        }
        switch ObjectionOutcome.parse(outcome: input.outcome, note: input.check_note) {
        case .failure(let failure):
            return try await again(failure.messages.sorted { $0.key > $1.key }.map(\.value).joined(separator: " "), status: .unprocessableEntity)
        case .success(let (outcome, note)):
            do {
                try await NominationTransitions(req: req).decideObjection(objectionID, campaignID: campaignID,
                                                                         expectedVersion: input.version ?? -1, outcome: outcome, note: note)
            } catch let error as TransitionError {
                if case .refused(let refusal) = error, refusal.kind == .notFound { throw Abort(.notFound) }
                let message = if case .stale = error { "这条异议刚刚被他人处理，页面已更新。" } else { error.pageErrors.values.first ?? "" }
                return try await again(message, status: error.status)
            }
        }
        return req.redirect(to: "/campaigns/\(campaignID)/publicity?notice=decided#objection-\(objectionID)")
    }

    struct ContactView: Encodable {
        let campaignID: Int
        let nominee: String
        let name: String
        let phone: String
        let content: String
    }

    /// The objector's name and phone in full, for calling back: administrators only, on record.
    @Sendable func objectorContact(req: Request) async throws -> View {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        guard let user = req.currentUser,
              PersonalDataPolicy.objectorContact(user.role == .admin ? .administrator : nil) == .full,
              let objectionID = req.parameters.get("objectionID", as: Int.self),
              let objection = try await Objection.find(objectionID, on: req.db), objection.$campaign.id == campaignID
        else { throw Abort(.notFound) }
        let box = req.application.secrets
        let nominee = try await Nomination.query(on: req.db).filter(\.$id == objection.$nomination.id).field(\.$displayName).first()?.displayName ?? ""
        try await req.recordOutput("objection.reveal", objectType: "objection", objectID: "\(objectionID)", label: "对 \(nominee) 的异议")
        return try await req.page("objection-contact", title: "异议人联系方式", ContactView(
            campaignID: campaignID, nominee: nominee, name: try box.open(objection.objectorNameSealed),
            phone: try box.open(objection.objectorPhoneSealed), content: objection.content))
    }

    /// The material an objector attached: the administrator's, on record.
    @Sendable func attachment(req: Request) async throws -> Response {
        let campaignID = try await Self.campaign(req).requireID()
        guard let objectionID = req.parameters.get("objectionID", as: Int.self),
              let objection = try await Objection.find(objectionID, on: req.db), objection.$campaign.id == campaignID,
              let name = objection.attachmentFile, let data = try UploadStore(app: req.application, kind: .objection).read(name)
        else { throw Abort(.notFound) }
        try await req.recordOutput("document.objection_attachment", objectType: "objection", objectID: "\(objectionID)",
                                   label: "异议 \(objectionID) 的附件", changes: [FieldChange("file", old: nil, new: name)])
        return NominationController.inline(data, name: name)
    }

    // MARK: After the period

    @Sendable func clear(req: Request) async throws -> Response {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        do {
            try await NominationTransitions(req: req).clearPublicity(campaignID: campaignID)
        } catch let error as TransitionError {
            return try await render(req, status: error.status, input: [:], errors: ["clear": error.pageErrors.values.first ?? ""])
        }
        return req.redirect(to: "/campaigns/\(campaignID)/publicity?notice=cleared")
    }

    struct DecisionInput: Content {
        var decision_number: String?
        var decision_title: String?
        var decision_preamble: String?
        var issuing_body: String?
        var issued_on: String?
    }

    @Sendable func commend(req: Request) async throws -> Response {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        let input = try req.content.decode(DecisionInput.self)
        let typed = ["decision_number": input.decision_number ?? "", "decision_title": input.decision_title ?? "",
                     "decision_preamble": input.decision_preamble ?? "", "issuing_body": input.issuing_body ?? "",
                     "issued_on": input.issued_on ?? ""]
        func again(_ errors: [String: String], status: HTTPStatus) async throws -> Response {
            return try await render(req, status: status, input: typed, errors: errors)
        }
        switch DecisionText.parse(number: input.decision_number, title: input.decision_title, preamble: input.decision_preamble,
                                  issuingBody: input.issuing_body, issuedOn: input.issued_on) {
        case .failure(let failure): return try await again(failure.messages, status: .unprocessableEntity)
        case .success(let text):
            do { try await NominationTransitions(req: req).commend(campaign: campaign, text: text) }
            catch let error as TransitionError {
                if case .invalid(let errors) = error { return try await again(errors, status: error.status) }
                return try await again(["decision": error.pageErrors.values.first ?? ""], status: error.status)
            }
        }
        return req.redirect(to: "/campaigns/\(campaignID)/publicity?notice=commended")
    }

    @Sendable func close(req: Request) async throws -> Response {
        let campaign = try await Self.campaign(req)
        do { try await NominationTransitions(req: req).close(campaign: campaign) }
        catch let error as TransitionError {
            return try await render(req, status: error.status, input: [:], errors: ["close": error.pageErrors.values.first ?? ""])
        }
        return req.redirect(to: "/campaigns/\(try campaign.requireID())/publicity?notice=closed")
    }
}
