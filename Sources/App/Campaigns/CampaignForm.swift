import Fluent
import HonorsCore
import Vapor

/// The campaign fields as typed, checked once for both editing and copying.
struct CampaignForm: Content {
    var title: String = ""
    var document_number: String = ""
    var award_year: String = ""
    var issued_on: String = ""
    var deadline_on: String = ""
    var contact_unit: String = ""
    var contact_person: String = ""
    var contact_phone: String = ""
    var contact_email: String = ""
    /// 轮值常务理事单位 of the year (optional in the form: a form without it keeps the campaign's).
    var rotating_unit: String? = nil
    var deeds_target: String = ""
    var deeds_tolerance_pct: String = ""
    var deeds_min_pct: String = ""
    var deeds_max_pct: String = ""
    var member_worker_exclusive: String? = nil
    var require_scan: String? = nil
    var require_second_factor: String? = nil
    var version: Int? = nil
    /// A copy's `CreationKey` (a new campaign); nil on the edit form.
    var creation_key: String? = nil

    init() {}

    init(_ campaign: Campaign) {
        title = campaign.title
        document_number = campaign.documentNumber
        award_year = "\(campaign.awardYear)"
        issued_on = campaign.issuedOn
        deadline_on = campaign.deadlineOn
        contact_unit = campaign.contactUnit
        contact_person = campaign.contactPerson
        contact_phone = campaign.contactPhone
        contact_email = campaign.contactEmail
        rotating_unit = campaign.rotatingUnit
        deeds_target = "\(campaign.deedsTarget)"
        deeds_tolerance_pct = "\(campaign.deedsTolerancePercent)"
        deeds_min_pct = "\(campaign.deedsMinimumPercent)"
        deeds_max_pct = "\(campaign.deedsMaximumPercent)"
        member_worker_exclusive = campaign.memberWorkerExclusive ? "1" : nil
        require_scan = campaign.requireScan ? "1" : nil
        require_second_factor = campaign.requireSecondFactor ? "1" : nil
        version = campaign.version
    }

    /// Cleans the typed text in place and returns field key → message for what is wrong.
    mutating func validate(excludingCampaign id: Int?, on db: any Database) async throws -> [String: String] {
        var errors: [String: String] = [:]
        func text(_ value: inout String, _ key: String, label: String, max: Int, required: Bool = true) {
            value = TextInput.line(value)
            if required, value.isEmpty { errors[key] = "请填写\(label)。" }
            else if value.count > max { errors[key] = "\(label)最多 \(max) 个字。" }
        }
        func number(_ value: inout String, _ key: String, label: String, range: ClosedRange<Int>) -> Int? {
            value = TextInput.halfWidth(TextInput.line(value))
            guard let n = Int(value), range.contains(n) else {
                errors[key] = "\(label)须为 \(range.lowerBound)–\(range.upperBound) 之间的整数。"
                return nil
            }
            return n
        }
        text(&title, "title", label: "活动名称", max: 200)
        text(&document_number, "document_number", label: "文号", max: 50)
        text(&contact_unit, "contact_unit", label: "联系单位", max: 100)
        text(&contact_person, "contact_person", label: "联系人", max: 30, required: false)
        text(&contact_phone, "contact_phone", label: "联系电话", max: 30, required: false)
        text(&contact_email, "contact_email", label: "电子邮箱", max: 100, required: false)
        if var unit = rotating_unit {
            text(&unit, "rotating_unit", label: "轮值常务理事单位", max: 100, required: false)
            rotating_unit = unit
        }
        _ = number(&award_year, "award_year", label: "表彰年度", range: 2000...2100)
        _ = number(&deeds_target, "deeds_target", label: "事迹目标字数", range: 100...20000)
        _ = number(&deeds_tolerance_pct, "deeds_tolerance_pct", label: "允许浮动百分比", range: 0...100)
        _ = number(&deeds_min_pct, "deeds_min_pct", label: "最少字数百分比", range: 1...100)
        _ = number(&deeds_max_pct, "deeds_max_pct", label: "最多字数百分比", range: 100...1000)
        issued_on = TextInput.halfWidth(TextInput.line(issued_on))
        deadline_on = TextInput.halfWidth(TextInput.line(deadline_on))
        let issued = DayStamp(issued_on), deadline = DayStamp(deadline_on)
        if issued == nil { errors["issued_on"] = "请按 YYYY-MM-DD 填写真实存在的日期。" }
        if deadline == nil { errors["deadline_on"] = "请按 YYYY-MM-DD 填写真实存在的日期。" }
        if let issued, let deadline, deadline < issued { errors["deadline_on"] = "报送截止日期不能早于发文日期。" }
        // The duplicate rule's scope is stored with each nomination (`person_scope`): changing it under
        // nominations already entered would leave them judged by two rules.
        if let id, let campaign = try await Campaign.find(id, on: db),
           campaign.memberWorkerExclusive != (member_worker_exclusive != nil),
           try await Nomination.query(on: db).filter(\.$campaign.$id == id).count() > 0 {
            errors["member_worker_exclusive"] = "本活动已有推荐对象，不能再更改“优秀共产党员和优秀党务工作者不交叉重复”的设置。"
        }
        // The 公示 and the certificates print the award year: once the list is public it stays as published.
        if let id, let campaign = try await Campaign.find(id, on: db), Int(award_year) != campaign.awardYear,
           try await Publicity.of(campaign: id, on: db) != nil {
            errors["award_year"] = "本活动已开始公示，表彰年度（\(campaign.awardYear)）已对外公布，不能再更改。"
        }
        if errors["document_number"] == nil {
            var query = Campaign.query(on: db).filter(\.$documentNumber == document_number)
            if let id { query = query.filter(\.$id != id) }
            if try await query.count() > 0 { errors["document_number"] = "文号“\(document_number)”已被其他活动使用。" }
        }
        return errors
    }

    /// Writes the (validated) values into `campaign`; returns the changed fields for the audit trail.
    func apply(to campaign: Campaign) -> [FieldChange] {
        let before = CampaignForm(campaign)
        campaign.title = title
        campaign.documentNumber = document_number
        campaign.awardYear = Int(award_year) ?? campaign.awardYear
        campaign.issuedOn = issued_on
        campaign.deadlineOn = deadline_on
        campaign.contactUnit = contact_unit
        campaign.contactPerson = contact_person
        campaign.contactPhone = contact_phone
        campaign.contactEmail = contact_email
        if let rotating_unit { campaign.rotatingUnit = rotating_unit }
        campaign.deedsTarget = Int(deeds_target) ?? campaign.deedsTarget
        campaign.deedsTolerancePercent = Int(deeds_tolerance_pct) ?? campaign.deedsTolerancePercent
        campaign.deedsMinimumPercent = Int(deeds_min_pct) ?? campaign.deedsMinimumPercent
        campaign.deedsMaximumPercent = Int(deeds_max_pct) ?? campaign.deedsMaximumPercent
        campaign.memberWorkerExclusive = member_worker_exclusive != nil
        campaign.requireScan = require_scan != nil
        campaign.requireSecondFactor = require_second_factor != nil
        let after = CampaignForm(campaign)
        let pairs: [(String, String, String)] = [
            ("title", before.title, after.title), ("document_number", before.document_number, after.document_number),
            ("award_year", before.award_year, after.award_year), ("issued_on", before.issued_on, after.issued_on),
            ("deadline_on", before.deadline_on, after.deadline_on),
            ("contact_unit", before.contact_unit, after.contact_unit),
            ("contact_person", before.contact_person, after.contact_person),
            ("contact_phone", before.contact_phone, after.contact_phone),
            ("contact_email", before.contact_email, after.contact_email),
            ("rotating_unit", before.rotating_unit ?? "", after.rotating_unit ?? ""),
            ("deeds_target", before.deeds_target, after.deeds_target),
            ("deeds_tolerance_pct", before.deeds_tolerance_pct, after.deeds_tolerance_pct),
            ("deeds_min_pct", before.deeds_min_pct, after.deeds_min_pct),
            ("deeds_max_pct", before.deeds_max_pct, after.deeds_max_pct),
            ("member_worker_exclusive", before.member_worker_exclusive ?? "0", after.member_worker_exclusive ?? "0"),
            ("require_scan", before.require_scan ?? "0", after.require_scan ?? "0"),
            ("require_second_factor", before.require_second_factor ?? "0", after.require_second_factor ?? "0"),
        ]
        return pairs.map { FieldChange($0.0, old: $0.1, new: $0.2) }
    }
}
