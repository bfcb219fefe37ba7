import Fluent
import HonorsCore
import Foundation
import Vapor

/// Who did something: a signed-in user, an anonymous visitor (failed sign-in) or the command line.
struct Actor: Sendable {
    var userID: Int?
    var name: String
    var role: String
    var address: String

    static func commandLine() -> Actor {
        Actor(userID: nil, name: "命令行", role: "system", address: "local")
    }
}

/// One field's change. Sensitive values (passwords, ID numbers, phones) are masked before they are stored.
struct FieldChange: Sendable, Codable, Equatable {
    var field: String
    var old: String?
    var new: String?

    init(_ field: String, old: String?, new: String?, sensitive: Bool = false) {
        self.field = field
        guard sensitive else {
            self.old = old
            self.new = new
            return
        }
        // Masked values must still show that something changed.
        self.old = old.map { _ in "******" }
        self.new = new.map { _ in old == new ? "******" : "******（已修改）" }
    }

    /// What `JSONEncoder` writes for `changes`, written directly (`JSONText`).
    static func json(_ changes: [FieldChange]) -> String {
        JSONText.array(changes.map { [("field", $0.field), ("old", $0.old), ("new", $0.new)] })
    }

    /// The changes a stored `changes` column holds, read directly (`StringMapJSON`): the audit page reads one
    /// column per row it shows. Anything else is left to `JSONDecoder`; unreadable, no changes.
    static func decoded(_ json: String) -> [FieldChange] {
        if let objects = StringMapJSON.decodeObjectMembers(json) {
            // Every object needs its field, as `FieldChange`'s decoding requires; a column with a key given twice in
            // an object is left to JSONDecoder, as `StringMapJSON` leaves every such object.
            let changes = objects.compactMap { members -> FieldChange? in
                for (index, member) in members.enumerated() where members[..<index].contains(where: { $0.key == member.key }) { return nil }
                func value(_ key: String) -> String? { members.first { $0.key == key }?.value ?? nil }
                return value("field").map { FieldChange($0, old: value("old"), new: value("new")) }
            }
            if changes.count == objects.count { return changes }
        }
        return (try? JSONDecoder().decode([FieldChange].self, from: Data(json.utf8))) ?? []
    }
}

/// The single way events enter the audit trail.
enum Audit {
    /// Events the alliance keeps to itself: a committee's view of a nomination's history leaves them out.
    static let internalActions: Set<String> = ["nomination.review", "nomination.integrity", "document.integrity_reply"]

    static func record(
        on db: any Database, actor: Actor, action: String, objectType: String, objectID: String? = nil,
        objectLabel: String = "", committeeID: Int? = nil, changes: [FieldChange] = [], at now: Date
    ) async throws {
        try await AuditChain.append(event(actor: actor, action: action, objectType: objectType, objectID: objectID,
                                          objectLabel: objectLabel, committeeID: committeeID, changes: changes, at: now), on: db)
    }

    /// The event `record` appends, not yet on the chain: for a batch appended at once (`AuditChain.append(_:on:)`).
    static func event(
        actor: Actor, action: String, objectType: String, objectID: String? = nil,
        objectLabel: String = "", committeeID: Int? = nil, changes: [FieldChange] = [], at now: Date
    ) throws -> AuditEvent {
        let event = AuditEvent()
        // To the millisecond, as the chain's hash covers it: what is read back hashes the same.
        event.occurredAt = AuditChain.toMillisecond(now)
        event.actorID = actor.userID
        event.actorName = actor.name
        event.actorRole = actor.role
        event.action = action
        event.objectType = objectType
        event.objectID = objectID
        event.objectLabel = objectLabel
        event.committeeID = committeeID
        event.changes = FieldChange.json(changes.filter { $0.old != $0.new })
        event.address = actor.address
        return event
    }

    /// A nomination's field by its form's label (姓名, not the committee's 名称), others as `fieldLabel`.
    static func nominationFieldLabel(_ key: String) -> String {
        let form = NominationForm.label(of: key)
        return form != key ? form : fieldLabel(key)
    }

    /// Field names as the audit page shows them: the account and campaign fields here, the form fields from
    /// `NominationForm`. The stored key stays the fields.md key.
    static func fieldLabel(_ key: String) -> String {
        fieldLabels[key] ?? NominationForm.label(of: key)
    }

    /// Made once: the audit page asks for every change of every row it shows.
    private static let fieldLabels: [String: String] = [
        "username": "用户名", "display_name": "姓名或称呼", "role": "角色", "committee": "行业党委", "password": "密码",
        "active": "启用", "guiding": "指导名额", "state": "状态", "title": "活动名称", "document_number": "文号",
        "award_year": "表彰年度", "issued_on": "发文日期", "deadline_on": "报送截止", "deadline": "报送截止",
        "contact_unit": "联系单位", "contact_person": "联系人", "contact_phone": "联系电话", "contact_email": "电子邮箱",
        "copied_from": "复制自", "extra": "增加名额", "reason": "理由", "decision_note": "审批说明", "name": "名称",
        "imported": "导入为草稿", "existing": "已存在未重复导入", "refused": "有错误未导入", "package": "材料包编号",
        "fix_by": "补正期限", "data_fingerprint": "数据指纹", "scan_fingerprint": "扫描件数据指纹",
        "scan_matched": "扫描件核对方式", "integrity_result": "纪检意见", "integrity_note": "纪检意见说明",
        "reply_date": "答复日期", "recommendation": "评审推荐", "review_note": "评审意见", "fingerprint": "数据指纹",
        "recusals": "回避的行业党委", "require_scan": "上报须附盖章扫描件", "require_second_factor": "所有用户须双重验证",
        "count": "条数", "address": "网络地址", "reveal_personal_data": "可查看完整身份证号和电话", "rows": "行数", "file": "文件", "reply_scan": "答复扫描件", "head": "链头", "result": "结果", "second_factor": "第二重验证", "recovery_left": "剩余恢复码", "filters": "筛选条件",
        "current_key": "当前密钥", "ring": "密钥环", "secret_key_id": "加密密钥", "resealed": "已重新加密",
        "remaining": "剩余", "unreadable": "无法打开", "rest_days": "放假", "make_up_days": "调休上班",
    ]

    /// A stored value as the audit page shows it: codes by their Chinese names (审核中, not `submitted`), yes/no
    /// settings as 是/否. The stored value stays the code, as the chain sealed it.
    static func valueLabel(_ value: String?, field: String, objectType: String) -> String? {
        guard let value else { return nil }
        switch field {
        case "role": return Role(rawValue: value)?.label ?? value
        case "state" where objectType == "nomination": return NominationState(rawValue: value)?.label ?? value
        case "state" where objectType == "quota_request": return QuotaRequest.State(rawValue: value)?.label ?? value
        case "integrity_result": return IntegrityResult(rawValue: value)?.label ?? value
        case "recommendation": return ReviewRecommendation(rawValue: value)?.label ?? value
        case _ where yesNoFields.contains(field): return yesNo[value] ?? value
        default: return value
        }
    }

    private static let yesNoFields: Set<String> = ["require_scan", "require_second_factor", "member_worker_exclusive", "active", "can_write"]
    private static let yesNo = ["1": "是", "true": "是", "0": "否", "false": "否"]

    /// Names of actions as the audit page shows them.
    static let actionLabels: [String: String] = [
        "auth.sign_in": "登录",
        "auth.sign_in_failed": "登录失败",
        "auth.sign_out": "退出登录",
        "auth.locked": "账号锁定",
        "account.password_changed": "修改密码",
        "account.create": "创建账号",
        "account.update": "修改账号",
        "account.disable": "停用账号",
        "account.enable": "启用账号",
        "account.reset_password": "重置密码",
        "account.unlock": "解除登录锁定",
        "account.factor_enrolled": "启用双重验证",
        "account.factor_disabled": "停用双重验证",
        "account.factor_disable_failed": "停用双重验证失败",
        "account.factor_reset": "重置双重验证",
        "calendar.update": "修改节假日安排",
        "committee.create": "新增行业党委",
        "campaign.create": "创建活动",
        "campaign.update": "修改活动",
        "quota.update": "修改名额",
        "nomination.create": "新建推荐",
        "nomination.update": "修改推荐",
        "nomination.submit": "上报推荐",
        "nomination.withdraw": "撤回推荐",
        "nomination.photo": "上传照片",
        "nomination.scan": "上传盖章扫描件",
        "nomination.return": "退回修改",
        "nomination.approve": "审核通过",
        "nomination.reject": "不予通过",
        "nomination.revert": "撤销决定",
        "nomination.review": "评审意见",
        "nomination.integrity": "登记纪检意见",
        "document.integrity_letter": "生成征求纪检意见函",
        "account.recusals": "设置审核回避",
        "audit.verify": "校验审计日志",
        "key.rotate": "轮换密钥",
        "key.reseal": "用新密钥重新加密",
        "key.retire": "移除旧密钥",
        "document.audit_export": "导出操作日志",
        "nomination.import": "Excel 导入推荐对象",
        "quota_request.create": "超额申请",
        "deadline.extend": "延长截止日期",
        "document.form": "下载审批表",
        "document.summary_full": "导出含完整身份证号的汇总表",
        "document.summary": "导出汇总表（遮盖）",
        "document.quotas": "下载名额分配表",
        "document.composition": "导出推荐构成分析",
        "api_token.create": "创建接口令牌",
        "api_token.revoke": "撤销接口令牌",
        "api.request": "接口调用",
        "document.scan": "查看盖章扫描件",
        "document.integrity_reply": "查看纪检答复扫描件",
        "document.package": "生成材料包",
        "document.package_download": "下载材料包",
        "quota_request.approve": "批准超额申请",
        "quota_request.refuse": "不批准超额申请",
    ]
}

extension Request {
    /// The actor for this request: the signed-in user if any, with the client's address.
    var actor: Actor {
        if let user = currentUser {
            if user.apiToken != nil { return Actor(userID: nil, name: user.username, role: "api", address: clientAddress) }
            return Actor(userID: user.id, name: user.username, role: user.role.rawValue, address: clientAddress)
        }
        return Actor(userID: nil, name: "", role: "anonymous", address: clientAddress)
    }

    /// Records that this request takes data out of Honors: a document, an export, a package or a stored upload.
    /// Every such output is on the chain, whether it carries full personal data or masks.
    func recordOutput(_ action: String, objectType: String, objectID: String?, label: String,
                      committeeID: Int? = nil, changes: [FieldChange] = []) async throws {
        let actor = self.actor, now = self.now
        try await write { db in
            try await Audit.record(on: db, actor: actor, action: action, objectType: objectType, objectID: objectID,
                                   objectLabel: label, committeeID: committeeID, changes: changes, at: now)
        }
    }
}
