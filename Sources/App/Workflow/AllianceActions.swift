import Fluent
import Foundation
import HonorsCore

/// The alliance's transitions: 退回修改, 审核通过, 不予通过 and the administrator's 撤销决定. Each tells the
/// nomination's committee in the same transaction.
extension NominationTransitions {
    struct ReturnInput: Sendable {
        var reason: String
        var fixBy: DayStamp
    }

    struct ApproveInput: Sendable {
        var opinion: String
        var date: String
        /// `deeds_summary` for the 公示 list; may also be written when the 公示 is started.
        var summary: String? = nil
    }

    /// The longest 补正期限, in days from today.
    static let maxFixDays = 30

    /// Reads and checks a return's reason and 补正期限 (default: 3 working days from today).
    static func returnInput(reason: String?, fixBy: String?, today: DayStamp, calendar: WorkingCalendar) -> Result<ReturnInput, TransitionError> {
        var errors: [String: String] = [:]
        let reason = TextInput.block(reason ?? "")
        if reason.isEmpty { errors["reason"] = "请写明退回修改的原因，行业党委将看到此说明。" }
        else if reason.count > NominationForm.opinionMaxLength { errors["reason"] = "原因最多 \(NominationForm.opinionMaxLength) 字，现有 \(reason.count) 字。" }
        let typed = TextInput.halfWidth(TextInput.line(fixBy ?? ""))
        let day = typed.isEmpty ? calendar.adding(workingDays: 3, to: today) : DayStamp(typed)
        if let day, day <= today { errors["fix_by"] = "补正期限应晚于今天。" }
        else if let day, day > today.adding(days: maxFixDays) { errors["fix_by"] = "补正期限最长为 \(maxFixDays) 天。" }
        if day == nil { errors["fix_by"] = "请按 YYYY-MM-DD 填写补正期限。" }
        guard errors.isEmpty, let day else { return .failure(.invalid(errors)) }
        return .success(ReturnInput(reason: reason, fixBy: day))
    }

    static func approveInput(opinion: String?, date: String?, summary: String? = nil, today: DayStamp) -> Result<ApproveInput, TransitionError> {
        var errors: [String: String] = [:]
        let summary = TextInput.block(summary ?? "")
        if let message = summaryProblem(summary) { errors["deeds_summary"] = message }
        let opinion = TextInput.block(opinion ?? "")
        if opinion.isEmpty { errors["alliance_opinion"] = "请填写市“两新”党建联盟意见，将打印在审批表上。" }
        else if opinion.count > NominationForm.opinionMaxLength {
            errors["alliance_opinion"] = "联盟意见最多 \(NominationForm.opinionMaxLength) 字，现有 \(opinion.count) 字。"
        }
        let typed = TextInput.halfWidth(TextInput.line(date ?? ""))
        let day = DayStamp(typed)
        if day == nil { errors["alliance_opinion_date"] = "请按 YYYY-MM-DD 填写联盟意见的日期。" }
        else if let day, day > today { errors["alliance_opinion_date"] = "日期不能晚于今天。" }
        guard errors.isEmpty, let day else { return .failure(.invalid(errors)) }
        return .success(ApproveInput(opinion: opinion, date: day.description, summary: summary.isEmpty ? nil : summary))
    }

    /// What is wrong with a 事迹摘要 as typed, nil when it fits the 公示 list.
    static func summaryProblem(_ summary: String) -> String? {
        summary.count > NominationForm.summaryMaxLength
            ? "事迹摘要最多 \(NominationForm.summaryMaxLength) 字，现有 \(summary.count) 字。" : nil
    }

    /// A reason for `what`; its message goes beside the form's field, `errorKey` (the page has several).
    static func reasonInput(_ reason: String?, what: String, errorKey: String) -> Result<String, TransitionError> {
        let reason = TextInput.block(reason ?? "")
        if reason.isEmpty { return .failure(.invalid([errorKey: "请写明\(what)的理由，行业党委将看到此说明。"])) }
        if reason.count > NominationForm.opinionMaxLength {
            return .failure(.invalid([errorKey: "理由最多 \(NominationForm.opinionMaxLength) 字，现有 \(reason.count) 字。"]))
        }
        return .success(reason)
    }

    private func link(_ id: Int) -> String { "/nominations/\(id)" }

    /// 退回修改: the committee may edit and submit again until the 补正期限, the slot kept until then.
    func sendBack(_ id: Int, expectedVersion: Int, _ input: ReturnInput, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.return, to: id, expectedVersion: expectedVersion, in: db) { step in
            let n = step.nomination
            n.fixBy = input.fixBy.description
            n.fixUntil = input.fixBy.end
            n.recordDecision(by: user.username, at: now, reason: input.reason)
            return Effect(changes: [FieldChange("reason", old: nil, new: input.reason),
                                    FieldChange("fix_by", old: nil, new: input.fixBy.description)],
                          notices: [PendingNotice(kind: .returned, title: "退回修改：\(n.displayName)",
                                                  body: "原因：\(input.reason)\n请于 \(input.fixBy.chinese)（补正期限）前修改，重新上传盖章扫描件并上报。",
                                                  link: link(id))])
        }
    }

    /// 审核通过: needs a 纪检 reply of 无意见 and a slot within the committee's limit beside the approved and
    /// the returned ones still in their 补正期限, counted under the quota row's lock, so two approvals racing
    /// for the last slot cannot both win.
    func approve(_ id: Int, expectedVersion: Int, _ input: ApproveInput, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.approve, to: id, expectedVersion: expectedVersion, in: db) { step in
            let n = step.nomination
            if let day = DayStamp(input.date), day < step.campaign.issued {
                throw TransitionError.invalid(["alliance_opinion_date": "日期不能早于本次活动的发文日期（\(step.campaign.issued.chinese)）。"])
            }
            guard n.integrityValue?.permitsApproval == true else {
                let now = n.integrityValue.map { "纪检部门的答复为“\($0.label)”" } ?? "尚未登记纪检部门的答复"
                throw TransitionError.invalid(["form": "\(now)，不能审核通过。须先征求纪检意见并收到“无意见”的答复（见“纪检意见”）。"])
            }
            let (committed, limit) = try await QuotaLock.position(of: n, counting: QuotaUsage.committed(at: now), on: step.db)
            guard committed < limit else {
                throw TransitionError.invalid(["form": "该党委\(n.categoryValue.label)已审核通过或正在补正的共 \(committed) 个，已达可报名额 \(limit)，不能再通过。如需增加，请先批准其超额申请。"])
            }
            n.allianceOpinion = input.opinion
            n.allianceOpinionDate = input.date
            var changes = [FieldChange("alliance_opinion", old: nil, new: input.opinion),
                           FieldChange("alliance_opinion_date", old: nil, new: input.date)]
            if let summary = input.summary {
                changes.append(FieldChange("deeds_summary", old: n.deedsSummary, new: summary))
                n.deedsSummary = summary
            }
            n.recordDecision(by: user.username, at: now, reason: nil)
            return Effect(changes: changes,
                          notices: [PendingNotice(kind: .approved, title: "审核通过：\(n.displayName)",
                                                  body: "联盟意见：\(input.opinion)", link: "/nominations/\(id)")])
        }
    }

    /// 不予通过, with the reason the committee reads.
    func reject(_ id: Int, expectedVersion: Int, reason: String, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.reject, to: id, expectedVersion: expectedVersion, in: db) { step in
            let n = step.nomination
            n.recordDecision(by: user.username, at: now, reason: reason)
            n.fixUntil = nil
            return Effect(changes: [FieldChange("reason", old: nil, new: reason)],
                          notices: [PendingNotice(kind: .rejected, title: "未通过：\(n.displayName)",
                                                  body: "理由：\(reason)", link: "/nominations/\(id)")])
        }
    }

    /// 撤销决定: back to 已上报. A rejected nomination takes a slot again, so it needs a free one.
    func revert(_ id: Int, expectedVersion: Int, reason: String, in db: (any Database)? = nil) async throws {
        let user = self.user, now = self.now
        try await apply(.revert, to: id, expectedVersion: expectedVersion, in: db) { step in
            let n = step.nomination
            if n.stateValue == .rejected {
                let (used, limit) = try await QuotaLock.position(of: n, counting: QuotaUsage.occupying(at: now), on: step.db)
                guard used < limit else {
                    throw TransitionError.invalid(["form": "该党委\(n.categoryValue.label)的名额已被占满（\(used) / \(limit)），撤销“未通过”后将超出名额，不能撤销。"])
                }
            }
            let old = n.allianceOpinion
            n.allianceOpinion = nil
            n.allianceOpinionDate = nil
            n.recordDecision(by: user.username, at: now, reason: reason)
            return Effect(changes: [FieldChange("reason", old: nil, new: reason),
                                    FieldChange("alliance_opinion", old: old, new: nil)],
                          notices: [PendingNotice(kind: .reverted, title: "撤销决定：\(n.displayName)",
                                                  body: "联盟撤销了此前的决定，推荐恢复为“已上报”，待重新审核。理由：\(reason)",
                                                  link: "/nominations/\(id)")])
        }
    }
}
