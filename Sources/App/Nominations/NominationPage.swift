import Fluent
import Foundation
import HonorsCore
import Vapor

/// `GET /nominations/{id}`: the data, the checklist, and for each action the workflow allows here its form
/// or button (`data-action` names them, for the test that pages offer exactly what the workflow allows).
extension NominationController {
    struct Shown {
        let label: String
        let value: String
    }

    /// What this person may do here, by the workflow.
    struct Can {
        let edit, photo, scan, submit, withdraw, sendBack, approve, reject, revert, review, integrity: Bool

        init(_ loaded: Loaded) {
            edit = loaded.allows(.save)
            photo = loaded.allows(.photo) && loaded.nomination.categoryValue.isPerson
            scan = loaded.allows(.scan)
            submit = loaded.allows(.submit)
            withdraw = loaded.allows(.withdraw)
            sendBack = loaded.allows(.return)
            approve = loaded.allows(.approve)
            reject = loaded.allows(.reject)
            revert = loaded.allows(.revert)
            review = loaded.allows(.review)
            integrity = loaded.allows(.integrity)
            decides = sendBack || approve || reject
        }

        let decides: Bool
    }

    /// The latest return, rejection or revert, or the approval, as both sides see it.
    struct DecisionView {
        let state: String
        let by: String
        let at: String
        let reason: String?
        let fixBy: String?
        let allianceOpinion: String?
        let allianceOpinionDate: String?
        /// After the approval: where the nomination stands in the 公示 and 表彰 (公示中, 已表彰, ...).
        let stage: String?
        /// 荣誉证书编号, once commended.
        let certificate: String?
    }

    /// One of the committee's steps to 上报, as the page lists them at the top.
    struct Step {
        let label: String
        let done: Bool
    }

    struct ShowView {
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
        let opinion: [Shown]
        let missing: [String]
        let problems: [String]
        let warnings: [String]
        let complete: Bool
        let deedsCount: Int
        let attestations: [FormViews.AttestationView]
        let hasPhoto: Bool
        let can: Can
        /// Why the committee cannot change it any more (past the deadline), with whom to ask.
        let closedNote: String?
        /// What still stands between this nomination and 上报.
        let submitBlockers: [String]
        var hasBlockers: Bool { !submitBlockers.isEmpty }
        /// The committee's way to 上报, while it still has steps to take.
        let steps: [Step]
        let scan: ScanView
        let decision: DecisionView?
        let integrity: IntegrityView?
        let reviews: ReviewsView?
        /// LibreOffice is installed: the PDF download is offered, otherwise the page says it is not.
        let pdfAvailable: Bool
        let quota: QuotaTable.Cell?
        let errors: [String: String]
        let input: [String: String]
        let notice: String?
        let submittedAt: String?
        /// Defaults of the alliance's forms: a return's 补正期限 (3 working days) and today.
        let defaultFixBy: String
        let today: String
    }

    static func showView(_ loaded: Loaded, req: Request, errors: [String: String] = [:], input: [String: String] = [:],
                         notice: String? = nil, pending: ScanUpload.Pending? = nil) async throws -> ShowView {
        let nomination = loaded.nomination
        let service = try NominationService(req: req)
        let stored = try service.storedInput(nomination)
        let campaign = nomination.campaign
        let result = try await service.check(stored, campaign: campaign, excluding: nomination.id)
        func shown(_ specs: [FieldSpec]) -> [Shown] {
            specs.map { spec in
                var value = result.cleaned[spec.key] ?? stored.values[spec.key] ?? ""
                if NominationService.sensitiveKeys.contains(spec.key) { value = NominationService.masked(spec.key, value) }
                return Shown(label: spec.label, value: spec.displayValue(value))
            }
        }
        let can = Can(loaded)
        let quota = try await QuotaUsage.cell(campaignID: try campaign.requireID(), committeeID: nomination.$committee.id,
                                              category: nomination.category, quotas: try await req.reference.quotas(campaignID: campaign.requireID()),
                                              at: req.now, on: req.db)
        let problems = result.issues.filter(\.isError).map { "\(NominationForm.label(of: $0.field))：\($0.message)" }
        var warnings = result.issues.filter { !$0.isError }.map { "\(NominationForm.label(of: $0.field))：\($0.message)" }
        // The photo's shape is read again from the stored file: a far-off shape is a warning, not an error.
        if let name = nomination.photoFile, let data = try UploadStore(app: req.application, kind: .photo).read(name) {
            warnings += PhotoCheck.check(data).issues.filter { !$0.isError }.map { "二寸免冠照片：\($0.message)" }
        }
        let fingerprint = try service.fingerprint(of: nomination)
        let scanState = ScanState(scanFingerprint: nomination.scanFingerprint, dataFingerprint: fingerprint)
        let standing = NominationService.submitProblems(result, scan: scanState, campaign: campaign)
        let blockers = loaded.context.relation == .ownCommittee ? ["form", "scan"].compactMap { standing[$0] } : []
        let closedNote: String? = {
            guard loaded.context.relation == .ownCommittee, !can.edit,
                  let refusal = loaded.decide(.save).refusal, refusal.kind == .closed else { return nil }
            return refusal.message + campaign.contactLine
        }()
        let opinionKeys = Set(NominationForm.committeeFields.map(\.key))
        let steps: [Step] = can.submit ? [
            Step(label: "填写推荐材料", done: result.missing.allSatisfy(opinionKeys.contains) && problems.isEmpty),
            Step(label: "填写行业党委意见", done: !result.missing.contains { opinionKeys.contains($0) }),
            Step(label: "下载打印审批表，书记签字、加盖公章", done: scanState == .current),
            Step(label: "上传盖章扫描件", done: scanState == .current || !campaign.requireScan),
            Step(label: "上报联盟", done: false),
        ] : []
        let alliance = loaded.context.relation.isAlliance
        return ShowView(
            id: loaded.id, version: nomination.version, name: nomination.displayName,
            category: nomination.category, categoryLabel: nomination.categoryValue.label,
            committee: nomination.committee.name, campaign: campaign.documentNumber, state: nomination.state,
            stateLabel: nomination.stateValue.label,
            fields: shown(NominationForm.fields(for: nomination.categoryValue)), opinion: shown(NominationForm.committeeFields),
            missing: result.missing.map(NominationForm.label(of:)), problems: problems, warnings: warnings,
            complete: result.isComplete, deedsCount: result.deedsCount,
            attestations: FormViews.attestations(checked: stored.attestations, records: nomination.attestationRecords),
            hasPhoto: nomination.photoFile != nil, can: can, closedNote: closedNote, submitBlockers: blockers, steps: steps,
            scan: try await ScanView.load(nomination, state: scanState, currentFingerprint: fingerprint,
                                          pending: pending, required: campaign.requireScan,
                                          viewable: try req.requireUser().disclosure(.scan, committeeID: nomination.$committee.id) == .full,
                                          on: req.db),
            decision: decisionView(nomination, certificate: nomination.stateValue == .commended
                ? try await Certificate.query(on: req.db).filter(\.$nomination.$id == nomination.requireID()).field(\.$id).field(\.$number).first()?.number
                : nil),
            integrity: alliance ? try await IntegrityView.load(nomination, on: req.db) : nil,
            reviews: alliance ? try await ReviewsView.load(nomination, for: try req.requireUser(), on: req.db) : nil,
            pdfAvailable: req.application.pdf.available,
            quota: quota, errors: errors, input: input, notice: notice,
            submittedAt: nomination.submittedAt.map(DateFormatting.minute),
            defaultFixBy: alliance ? try await req.reference.calendar().adding(workingDays: 3, to: DayStamp(req.now)).description : "",
            today: DayStamp(req.now).description)
    }

    static func decisionView(_ nomination: Nomination, certificate: String? = nil) -> DecisionView? {
        guard let by = nomination.decidedBy else { return nil }
        let state = nomination.stateValue
        let after = NominationState.afterApproval.contains(state)
        let approved = state == .approved || (after && state != .disqualified)
        return DecisionView(
            state: after && state != .disqualified ? NominationState.approved.rawValue : nomination.state,
            by: by, at: DateFormatting.minute(nomination.decidedAt),
            reason: nomination.decisionReason,
            fixBy: state == .returned ? nomination.fixBy.flatMap(DayStamp.init)?.chinese : nil,
            allianceOpinion: approved ? nomination.allianceOpinion : nil,
            allianceOpinionDate: approved ? nomination.allianceOpinionDate : nil,
            stage: after ? state.label : nil, certificate: certificate)
    }

    @Sendable func show(req: Request) async throws -> View {
        let loaded = try await Self.load(req)
        let notice = req.queryValue("notice").flatMap { Self.notices[$0] }
        return try await req.page(title: loaded.nomination.displayName,
                                  try await Self.showView(loaded, req: req, notice: notice).html(csrf: req.csrfToken))
    }

    static let notices = [
        "saved": "已保存草稿。", "submitted": "已上报联盟。", "withdrawn": "已撤回，可修改后重新上报。",
        "photo": "照片已上传。审批表的数据指纹随之改变，请重新打印。", "scan": "盖章扫描件已上传。",
        "returned": "已退回修改，行业党委已收到通知。", "approved": "已审核通过。", "rejected": "已记录不予通过的决定。",
        "reverted": "已撤销决定，推荐恢复为“已上报”。", "reviewed": "评审意见已保存。", "integrity": "纪检意见已登记。",
    ]
}
