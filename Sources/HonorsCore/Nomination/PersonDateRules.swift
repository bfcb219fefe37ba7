import Foundation

/// The dates of a nominated person as entered (texts), plus the birth month taken from the ID number.
public struct PersonDateInput: Sendable, Hashable {
    /// From the validated ID number; nil when it did not validate (age rules are then skipped).
    public var birthMonth: MonthValue?
    /// `birth_month` as typed, when the form or import has it: it must agree with the ID number.
    public var enteredBirthMonth: String?
    public var workStartMonth: String?
    public var partyJoinDate: String?
    public var fullMemberDate: String?
    public var partyWorkSince: String?

    public init(birthMonth: MonthValue?, enteredBirthMonth: String? = nil, workStartMonth: String?,
                partyJoinDate: String?, fullMemberDate: String?, partyWorkSince: String? = nil) {
        self.birthMonth = birthMonth
        self.enteredBirthMonth = enteredBirthMonth
        self.workStartMonth = workStartMonth
        self.partyJoinDate = partyJoinDate
        self.fullMemberDate = fullMemberDate
        self.partyWorkSince = partyWorkSince
    }
}

/// Checks the dates of 附件3/附件4 against each other, the ID number, the deadline and today.
/// Comparisons are by month, the precision of the forms; a same-month boundary is given the benefit of the doubt.
public enum PersonDateRules {
    public static let minimumWorkAge = 14
    public static let minimumJoinAge = 18
    /// 党章: 预备期为一年 (it may be extended, never shortened).
    public static let probationMonths = 12
    /// "一般应当从事党务工作1年以上".
    public static let minimumPartyWorkMonths = 12

    /// `deadline` is an instant; a day such as "5 月 30 日前" is passed as that day's end, and the month
    /// that counts is the one of the last moment before it.
    public static func check(_ input: PersonDateInput, category: NominationCategory,
                             deadline: Date, today: Date) -> [FieldIssue] {
        guard category.isPerson else { return [] }
        var issues: [FieldIssue] = []
        let now = MonthValue(today)
        let due = MonthValue(deadline.addingTimeInterval(-1))

        func parse(_ raw: String?, _ field: String, _ label: String, required: Bool) -> MonthValue? {
            let text = raw.map(TextInput.line) ?? ""
            if text.isEmpty {
                if required { issues.append(.error(field, "请填写\(label)")) }
                return nil
            }
            guard let value = MonthValue(text) else {
                issues.append(.error(field, "\(label)“\(text)”格式不对，应为年-月，如 2010-07"))
                return nil
            }
            if value > now {
                issues.append(.error(field, "\(label) \(value) 晚于当前月份"))
            }
            return value
        }

        let birth = input.birthMonth
        if let entered = parse(input.enteredBirthMonth, "birth_month", "出生年月", required: false),
           let birth, entered != birth {
            issues.append(.error("birth_month", "出生年月 \(entered) 与身份证号中的 \(birth) 不一致"))
        }
        let work = parse(input.workStartMonth, "work_start_month", "参加工作时间", required: true)
        let join = parse(input.partyJoinDate, "party_join_date", "入党时间", required: true)
        let full = parse(input.fullMemberDate, "full_member_date", "转正时间", required: true)
        let partyWork = parse(input.partyWorkSince, "party_work_since", "从事党务工作时间",
                              required: category == .worker)

        if let birth, let work, work < birth.adding(years: minimumWorkAge) {
            issues.append(.error("work_start_month",
                                 "参加工作时间 \(work) 早于年满\(minimumWorkAge)周岁（\(birth.adding(years: minimumWorkAge))），请核对"))
        }
        if let birth, let join, join < birth.adding(years: minimumJoinAge) {
            issues.append(.error("party_join_date",
                                 "入党时间 \(join) 早于年满\(minimumJoinAge)周岁（\(birth.adding(years: minimumJoinAge))），请核对"))
        }
        if let join, let full {
            if full <= join {
                issues.append(.error("full_member_date", "转正时间 \(full) 应晚于入党时间 \(join)"))
            } else if join.months(until: full) < probationMonths {
                issues.append(.warning("full_member_date",
                                       "转正时间 \(full) 距入党时间 \(join) 不足一年，预备期应为一年，请核对"))
            }
        }
        if let full, full > due {
            issues.append(.error("full_member_date",
                                 "转正时间 \(full) 晚于推荐截止时间 \(due)，只有正式党员才能被推荐"))
        }
        if category == .worker, let partyWork, partyWork.months(until: due) < minimumPartyWorkMonths {
            // The notice says "一般应当", so reviewers may accept exceptions: a warning, not a refusal.
            issues.append(.warning("party_work_since",
                                   "从事党务工作时间 \(partyWork) 至推荐截止时间 \(due) 不满1年，通知要求一般应当从事党务工作1年以上"))
        }
        return issues
    }
}
