/// The fields of the three approval forms (附件2, 附件3, 附件4 of the notice), in the order the printed
/// forms have them, so the web form, the import template and the export all read alike.
public enum NominationForm {
    /// The inputs of one category's form. The committee's opinion, the photo and the attestations are
    /// handled apart (see `committeeFields`, `attestations`).
    public static func fields(for category: NominationCategory) -> [FieldSpec] {
        switch category {
        case .org: orgFields
        case .member: memberFields
        case .worker: workerFields
        }
    }

    /// The eligibility statements a committee attests for a person (the notice's three-year conditions).
    public static let attestations: [(key: String, statement: String)] = [
        ("no_violation_3y", "近三年无违纪违法行为"),
        ("dues_paid_3y", "近三年按规定缴纳党费"),
        ("org_life_3y", "近三年无连续3个月不参加组织生活的情况"),
        ("vanguard_3y", "在单位起到先锋模范作用"),
    ]

    /// The committee's block of every form (行业党委意见, 书记签字, 年月日): printed on the form the secretary
    /// signs and the committee stamps, so it is entered before printing. A draft may lack it; a nomination is
    /// complete, and can be submitted, only with it (`NominationRules.check` lists it as missing).
    public static let committeeFields: [FieldSpec] = [
        FieldSpec(key: "committee_opinion", label: "行业党委意见", kind: .block(maxLength: opinionMaxLength), required: true,
                  hint: "打印在审批表“行业党委意见”栏，如“同意推荐。”"),
        FieldSpec(key: "committee_signer", label: "书记签字", kind: .text(maxLength: 30), required: true,
                  hint: "签字的行业党委书记姓名"),
        FieldSpec(key: "committee_opinion_date", label: "签字日期", kind: .day, required: true,
                  hint: "YYYY-MM-DD，不能晚于今天"),
    ]

    /// The longest opinion, the committee's and the alliance's alike: what fits the printed block.
    public static let opinionMaxLength = 500
    /// `deeds_summary`: the alliance's short summary of the deeds, written at approval for the 公示 list.
    public static let summaryMaxLength = 200

    /// The Chinese label of any key of fields.md that Honors knows; the key itself otherwise.
    public static func label(of key: String) -> String {
        labels[key] ?? key
    }

    /// Keys whose `.month` input may carry a day, kept as `YYYY-MM-DD` when given: 入党时间 is often
    /// known to the day from the branch's records.
    static let dayOptionalKeys: Set<String> = ["party_join_date"]

    // MARK: Choices

    static let genderChoices = Gender.allCases.map { FieldSpec.Choice(value: $0.rawValue, label: $0.rawValue) }
    static let ethnicityChoices = Ethnicity.all.map { FieldSpec.Choice(value: $0.code, label: $0.name) }
    static let educationChoices = Education.all.map { FieldSpec.Choice(value: $0.code, label: $0.name) }

    // MARK: Field lists

    private static func text(_ key: String, _ label: String, _ max: Int, required: Bool = true,
                             hint: String? = nil) -> FieldSpec {
        FieldSpec(key: key, label: label, kind: .text(maxLength: max), required: required, hint: hint)
    }

    private static func month(_ key: String, _ label: String, required: Bool = true, hint: String? = nil) -> FieldSpec {
        FieldSpec(key: key, label: label, kind: .month, required: required, hint: hint ?? "YYYY-MM，如 2010-07")
    }

    private static let honorsHint = "每行一项：YYYY.MM 授予单位 荣誉名称；没有请填“无”"

    /// 附件3, with 转正时间 and 一线 placed next to the printed fields they belong to; 附件4 inserts
    /// 党内职务 and 从事党务工作时间 after 职称.
    private static func personFields(worker: Bool) -> [FieldSpec] {
        var list: [FieldSpec] = [
            text("recommending_branch", "推荐党支部", 100),
            text("name", "姓名", 30),
            FieldSpec(key: "gender", label: "性别", kind: .choice(genderChoices), required: true,
                      hint: "留空则按身份证号填写"),
            FieldSpec(key: "ethnicity", label: "民族", kind: .choice(ethnicityChoices), required: true),
            month("birth_month", "出生年月", hint: "YYYY-MM；留空则按身份证号填写"),
            text("native_place", "籍贯", 30, hint: "如 内蒙古鄂尔多斯"),
            month("work_start_month", "参加工作时间"),
            month("party_join_date", "入党时间", hint: "YYYY-MM，可写到日：YYYY-MM-DD"),
            month("full_member_date", "转正时间", hint: "YYYY-MM；只有正式党员才能被推荐"),
            FieldSpec(key: "education", label: "文化程度", kind: .choice(educationChoices), required: true),
            text("professional_title", "职称", 50, required: false, hint: "没有可不填，打印为“无”"),
        ]
        if worker {
            list.append(text("party_post", "党内职务", 50))
            list.append(month("party_work_since", "从事党务工作时间", hint: "YYYY-MM；一般应从事党务工作1年以上"))
        }
        list += [
            text("unit_and_position", "工作单位及职务", 100),
            FieldSpec(key: "frontline", label: "基层和生产、工作一线", kind: .yesNo, required: true),
            text("id_number", "身份证号", 18, hint: "18位，最后一位可为X"),
            text("phone", "联系电话", 30, hint: "手机号或带区号的固定电话，如 0477-8581234"),
            FieldSpec(key: "resume", label: "个人简历", kind: .block(maxLength: 3000), required: true,
                      hint: "每行一段：YYYY.MM—YYYY.MM 单位 职务，最后一段可写到“今”"),
            FieldSpec(key: "honors_received", label: "受表彰情况", kind: .block(maxLength: 3000), required: false,
                      hint: honorsHint),
            FieldSpec(key: "deeds", label: "主要事迹", kind: .deeds, required: true),
        ]
        return list
    }

    private static let memberFields = personFields(worker: false)
    private static let workerFields = personFields(worker: true)

    private static let orgFields: [FieldSpec] = [
        text("org_name", "党组织名称", 100),
        text("org_unit", "所在单位", 100),
        text("org_leader", "党组织负责人", 30),
        FieldSpec(key: "member_count", label: "党员人数", kind: .number, required: true, hint: "正式党员至少3名"),
        FieldSpec(key: "basic_info", label: "基本情况", kind: .block(maxLength: 2000), required: true),
        FieldSpec(key: "honors_received", label: "表彰情况", kind: .block(maxLength: 3000), required: false,
                  hint: honorsHint),
        FieldSpec(key: "deeds", label: "主要事迹", kind: .deeds, required: true),
    ]

    private static let labels: [String: String] = {
        var table: [String: String] = ["category": "推荐类别", "photo": "二寸免冠照片", "stamped_scan": "盖章扫描件",
                                       "alliance_opinion": "市“两新”党建联盟意见", "alliance_opinion_date": "联盟意见日期"]
        // Later lists win, so the shared key honors_received reads 受表彰情况 as on the people's forms.
        for spec in orgFields + workerFields + committeeFields { table[spec.key] = spec.label }
        for item in attestations { table[item.key] = item.statement }
        return table
    }()
}
