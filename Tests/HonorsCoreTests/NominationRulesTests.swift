import Foundation
import Testing
@testable import HonorsCore

@Suite struct NominationRulesTests {
    let today = DayStamp(year: 2024, month: 5, day: 20).start
    let deadline = Notice2024.deadlineDay.end
    let settings = Notice2024.settings
    static let allAttestations = Set(NominationForm.attestations.map(\.key))

    /// A complete 优秀共产党员 nomination as a committee would type it.
    static func memberValues() -> [String: String] {
        [
            "recommending_branch": "鄂尔多斯市某快递公司党支部",
            "name": "张三",
            "gender": "男",
            "ethnicity": "02",
            "birth_month": "1985-03",
            "native_place": "内蒙古鄂尔多斯",
            "work_start_month": "2007-07",
            "party_join_date": "2006-06",
            "full_member_date": "2007-06",
            "education": "21",
            "professional_title": "",
            "unit_and_position": "某快递公司 站点负责人",
            "frontline": "yes",
            "id_number": "150602198503120018",
            "phone": "186 4717 6667",
            "resume": "2003.09—2007.07 内蒙古大学 学生\n2007.07—今 某快递公司 站点负责人",
            "honors_received": "无",
            "deeds": String(repeating: "党", count: 1000),
        ].merging(opinion) { $1 }
    }

    /// The committee's block, signed before printing.
    static let opinion = ["committee_opinion": "同意推荐。", "committee_signer": "王五", "committee_opinion_date": "2024-05-18"]

    static func memberInput(_ changes: [String: String?] = [:]) -> NominationInput {
        var values = memberValues()
        for (key, value) in changes { values[key] = value }
        return NominationInput(category: .member, values: values, attestations: allAttestations, hasPhoto: true)
    }

    func check(_ input: NominationInput) -> NominationCheck {
        NominationRules.check(input, settings: settings, deadline: deadline, today: today)
    }

    func errors(_ result: NominationCheck, on key: String) -> [FieldIssue] {
        result.issues.on(key).filter(\.isError)
    }

    @Test func completeMemberPasses() {
        let result = check(Self.memberInput())
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.missing.isEmpty)
        #expect(result.isComplete)
        #expect(result.deedsCount == 1000)
        #expect(result.cleaned["phone"] == "18647176667")
        #expect(result.cleaned["frontline"] == "yes")
    }

    @Test func completeWorkerAndOrgPass() {
        var values = Self.memberValues()
        values["party_post"] = "党支部书记"
        values["party_work_since"] = "2018-03"
        let worker = check(NominationInput(category: .worker, values: values, attestations: Self.allAttestations,
                                           hasPhoto: true))
        #expect(worker.isComplete, "\(worker.issues) \(worker.missing)")

        let org = check(NominationInput(category: .org, values: [
            "org_name": "中共鄂尔多斯市某物业公司支部委员会", "org_unit": "某物业公司", "org_leader": "李四",
            "member_count": "１２", "basic_info": "党支部成立于2015年。", "honors_received": "2021.06 中共鄂尔多斯市委 先进基层党组织",
            "deeds": String(repeating: "治", count: 1000),
        ].merging(Self.opinion) { $1 }))
        #expect(org.isComplete, "\(org.issues) \(org.missing)")
        #expect(org.cleaned["member_count"] == "12")
    }

    @Test func idNumberNormalisedAndFillsBlanks() {
        let result = check(Self.memberInput(["id_number": "１５０６０２１９８５０３１２００１８ ", "gender": "", "birth_month": nil]))
        #expect(result.cleaned["id_number"] == "150602198503120018")
        #expect(result.cleaned["gender"] == "男")
        #expect(result.cleaned["birth_month"] == "1985-03")
        #expect(result.isComplete, "\(result.issues)")
    }

    @Test func wrongCheckDigit() {
        let result = check(Self.memberInput(["id_number": "150602198503120019"]))
        #expect(errors(result, on: "id_number").map(\.message) == [IDNumberError.badCheckDigit(expected: "8", found: "9").message])
        #expect(!result.isComplete)
    }

    @Test func genderAndBirthMismatch() {
        let gender = check(Self.memberInput(["gender": "女"]))
        #expect(errors(gender, on: "gender").count == 1)
        let birth = check(Self.memberInput(["birth_month": "1985-04"]))
        #expect(errors(birth, on: "birth_month").count == 1)
        #expect(gender.issues.count == 1 && birth.issues.count == 1)
    }

    @Test func fullMemberBeforeJoin() {
        let result = check(Self.memberInput(["full_member_date": "2006-01"]))
        #expect(errors(result, on: "full_member_date").count == 1)
    }

    @Test func partyJoinDateKeepsAGivenDay() {
        #expect(check(Self.memberInput(["party_join_date": "2006年6月15日"])).cleaned["party_join_date"] == "2006-06-15")
        #expect(check(Self.memberInput(["party_join_date": "2006.6"])).cleaned["party_join_date"] == "2006-06")
        #expect(check(Self.memberInput(["work_start_month": "2007-07-01"])).cleaned["work_start_month"] == "2007-07")
    }

    @Test func unreadableMonthIsOneError() {
        let result = check(Self.memberInput(["work_start_month": "去年夏天"]))
        let issues = result.issues.on("work_start_month")
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("YYYY-MM") == true)
    }

    @Test func choicesMustBeListed() {
        #expect(errors(check(Self.memberInput(["education": "20"])), on: "education").count == 1)
        #expect(errors(check(Self.memberInput(["ethnicity": "99"])), on: "ethnicity").count == 1)
        #expect(errors(check(Self.memberInput(["gender": "未知"])), on: "gender").count == 1)
        #expect(errors(check(Self.memberInput(["frontline": "也许"])), on: "frontline").count == 1)
        // Names as spreadsheets carry them are stored as codes.
        let named = check(Self.memberInput(["ethnicity": "蒙古族", "education": "本科", "frontline": "是"]))
        #expect(named.cleaned["ethnicity"] == "02")
        #expect(named.cleaned["education"] == "21")
        #expect(named.cleaned["frontline"] == "yes")
        #expect(named.issues.isEmpty)
    }

    @Test func overLongNameStatesLimitAndLength() {
        let result = check(Self.memberInput(["name": String(repeating: "张", count: 35)]))
        let messages = errors(result, on: "name").map(\.message)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("30") == true && messages.first?.contains("35") == true)
    }

    @Test func memberCount() {
        func org(_ count: String) -> NominationCheck {
            check(NominationInput(category: .org, values: ["member_count": count]))
        }
        #expect(errors(org("2"), on: "member_count").count == 1)
        #expect(errors(org("3"), on: "member_count").isEmpty)
        #expect(errors(org("3.5"), on: "member_count").count == 1)
        #expect(errors(org("三"), on: "member_count").count == 1)
        #expect(errors(org("99999999999999999999999"), on: "member_count").count == 1)
    }

    @Test func deedsLength() {
        let short = check(Self.memberInput(["deeds": String(repeating: "党", count: 300)]))
        #expect(errors(short, on: "deeds").count == 1)
        #expect(short.deedsCount == 300)
        #expect(!short.isComplete)

        // 700 is below the notice's 20% tolerance (800–1200) but above the hard minimum: a warning only.
        let low = check(Self.memberInput(["deeds": String(repeating: "党", count: 700)]))
        #expect(low.issues.on("deeds").map(\.severity) == [.warning])
        #expect(low.isComplete)

        let tight = DeedsLengthPolicy(target: 1000, tolerancePercent: 5)
        var strict = settings
        strict.deedsTolerancePercent = tight.tolerancePercent
        let nine = NominationRules.check(Self.memberInput(["deeds": String(repeating: "党", count: 900)]),
                                         settings: strict, deadline: deadline, today: today)
        #expect(nine.issues.on("deeds").map(\.severity) == [.warning])
        #expect(nine.isComplete)
    }

    @Test func phoneAndResumeAndHonors() {
        #expect(errors(check(Self.memberInput(["phone": "12345"])), on: "phone").count == 1)
        let rare = check(Self.memberInput(["phone": "14012345678"]))
        #expect(rare.issues.on("phone").map(\.severity) == [.warning])
        #expect(errors(check(Self.memberInput(["resume": "在大学读书"])), on: "resume").count == 1)
        #expect(errors(check(Self.memberInput(["honors_received": "优秀员工"])), on: "honors_received").count == 1)
    }

    @Test func draftListsMissingInFormOrder() {
        let draft = check(NominationInput(category: .member, values: ["name": "张三", "deeds": " "]))
        let fieldKeys = NominationForm.fields(for: .member).filter(\.required).map(\.key).filter { $0 != "name" }
        #expect(draft.missing == fieldKeys + ["committee_opinion", "committee_signer", "committee_opinion_date"]
                + NominationForm.attestations.map(\.key) + ["photo"])
        #expect(!draft.missing.contains("professional_title"))
        #expect(!draft.missing.contains("honors_received"))
        // Empty fields are missing, not errors.
        #expect(draft.issues.isEmpty, "\(draft.issues)")
        #expect(!draft.isComplete)

        let partial = check(NominationInput(category: .member, values: Self.memberValues(),
                                            attestations: ["dues_paid_3y"], hasPhoto: false))
        #expect(partial.missing == ["no_violation_3y", "org_life_3y", "vanguard_3y", "photo"])

        let org = check(NominationInput(category: .org, values: [:]))
        #expect(org.missing == ["org_name", "org_unit", "org_leader", "member_count", "basic_info", "deeds",
                                "committee_opinion", "committee_signer", "committee_opinion_date"])
    }

    @Test("the committee's opinion block is needed for a complete nomination, signed no later than today")
    func committeeOpinion() {
        let unsigned = check(Self.memberInput(["committee_opinion": nil, "committee_signer": "", "committee_opinion_date": nil]))
        #expect(unsigned.missing == ["committee_opinion", "committee_signer", "committee_opinion_date"])
        #expect(!unsigned.isComplete)
        let tomorrow = check(Self.memberInput(["committee_opinion_date": "2024-05-21"]))
        #expect(errors(tomorrow, on: "committee_opinion_date").map(\.message) == ["签字日期不能晚于今天"])
        let long = check(Self.memberInput(["committee_opinion": String(repeating: "同", count: NominationForm.opinionMaxLength + 1)]))
        #expect(errors(long, on: "committee_opinion").count == 1, "one limit, NominationForm.opinionMaxLength")
        #expect(check(Self.memberInput(["committee_opinion": String(repeating: "同", count: NominationForm.opinionMaxLength)])).isComplete)
    }

    @Test func unknownKeysDroppedCommitteeKept() {
        let result = check(Self.memberInput([
            "org_name": "不该出现", "is_admin": "1",
            "committee_opinion": " 同意推荐\r\n\r\n\r\n 盖章 ", "committee_signer": "王五", "committee_opinion_date": "2024年5月18日",
        ]))
        #expect(result.cleaned["org_name"] == nil)
        #expect(result.cleaned["is_admin"] == nil)
        #expect(result.cleaned["committee_opinion"] == "同意推荐\n\n盖章")
        #expect(result.cleaned["committee_signer"] == "王五")
        #expect(result.cleaned["committee_opinion_date"] == "2024-05-18")
        #expect(result.isComplete)
        #expect(errors(check(Self.memberInput(["committee_opinion_date": "5月"])), on: "committee_opinion_date").count == 1)
    }

    @Test func rareCharactersKeptControlCharactersStripped() {
        for name in ["𠮷", "𬌗", "阿卜杜热合曼·买买提"] {
            let result = check(Self.memberInput(["name": name]))
            #expect(result.cleaned["name"] == name)
            #expect(result.isComplete)
        }
        let pasted = check(Self.memberInput(["name": "\u{FEFF}张\u{0B}三\u{200B}\u{07}", "recommending_branch": "快递\u{0C}党支部\t"]))
        #expect(pasted.cleaned["name"] == "张三")
        #expect(pasted.cleaned["recommending_branch"] == "快递党支部")
    }

    @Test func hostileInputDoesNotCrash() {
        // Every field gets a long paste of emoji, rare CJK, NUL and line breaks; name and deeds get 10 MB.
        let long = String(repeating: "党👍🏽𠮷\u{0}a\n", count: 20_000)
        let huge = String(repeating: "党👍🏽𠮷\u{0}a\n", count: 10_000_000 / 16)
        var values: [String: String] = [:]
        for spec in NominationForm.fields(for: .worker) + NominationForm.committeeFields { values[spec.key] = long }
        values["name"] = huge
        values["deeds"] = huge
        let result = check(NominationInput(category: .worker, values: values))
        #expect(!result.isComplete)
        #expect(result.cleaned["name"]?.contains("\u{0}") == false)
        for key in ["name", "id_number", "phone", "gender", "birth_month", "resume", "deeds", "committee_opinion_date"] {
            #expect(!errors(result, on: key).isEmpty, "\(key)")
        }

        for odd in ["", " ", "\u{0}", "👍🏽", "𠮷", "-", "0000-00", "9999-12-31", "１", "\u{202E}12", "x", "-1", "0"] {
            var values: [String: String] = [:]
            for spec in NominationForm.fields(for: .worker) + NominationForm.fields(for: .org) { values[spec.key] = odd }
            _ = check(NominationInput(category: .worker, values: values))
            _ = check(NominationInput(category: .org, values: values))
        }
    }
}
