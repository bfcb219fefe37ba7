import Testing
@testable import HonorsCore

@Suite struct NominationFormTests {
    @Test func memberOrderFollowsTheForm() {
        #expect(NominationForm.fields(for: .member).map(\.key) == [
            "recommending_branch", "name", "gender", "ethnicity", "birth_month", "native_place", "work_start_month",
            "party_join_date", "full_member_date", "education", "professional_title", "unit_and_position",
            "frontline", "id_number", "phone", "resume", "honors_received", "deeds",
        ])
    }

    @Test func workerAddsPartyPost() {
        let keys = NominationForm.fields(for: .worker).map(\.key)
        let i = try! #require(keys.firstIndex(of: "professional_title"))
        #expect(Array(keys[i...].prefix(3)) == ["professional_title", "party_post", "party_work_since"])
        #expect(keys.filter { $0 != "party_post" && $0 != "party_work_since" } == NominationForm.fields(for: .member).map(\.key))
    }

    @Test func orgHasNoPersonFields() {
        let keys = NominationForm.fields(for: .org).map(\.key)
        #expect(keys == ["org_name", "org_unit", "org_leader", "member_count", "basic_info", "honors_received", "deeds"])
        #expect(!keys.contains("id_number"))
        #expect(NominationForm.fields(for: .org).first { $0.key == "member_count" }?.kind == .number)
    }

    @Test func separateItemsAreNotFields() {
        for category in NominationCategory.allCases {
            let keys = Set(NominationForm.fields(for: category).map(\.key))
            #expect(keys.isDisjoint(with: ["committee_opinion", "committee_signer", "committee_opinion_date", "photo", "category"]))
            #expect(keys.isDisjoint(with: NominationForm.attestations.map(\.key)))
            #expect(keys.count == NominationForm.fields(for: category).count)
        }
    }

    @Test func kindsAndLimits() {
        let specs = Dictionary(uniqueKeysWithValues: NominationForm.fields(for: .worker).map { ($0.key, $0) })
        #expect(specs["name"]?.kind == .text(maxLength: 30))
        #expect(specs["recommending_branch"]?.kind == .text(maxLength: 100))
        #expect(specs["unit_and_position"]?.kind == .text(maxLength: 100))
        #expect(specs["frontline"]?.kind == .yesNo)
        #expect(specs["party_join_date"]?.kind == .month)
        #expect(specs["deeds"]?.kind == .deeds)
        #expect(specs["professional_title"]?.required == false)
        #expect(specs["honors_received"]?.required == false)
        #expect(specs["party_post"]?.required == true)
        guard case .choice(let genders) = specs["gender"]?.kind,
              case .choice(let ethnicities) = specs["ethnicity"]?.kind,
              case .choice(let educations) = specs["education"]?.kind
        else { Issue.record("gender, ethnicity and education are choices"); return }
        #expect(genders.map(\.value) == ["男", "女"])
        #expect(ethnicities.first == FieldSpec.Choice(value: "01", label: "汉族"))
        #expect(ethnicities.count == Ethnicity.all.count)
        #expect(educations.map(\.value) == Education.all.map(\.code))
        #expect(!educations.contains { $0.value == "20" })
    }

    @Test func labels() {
        #expect(NominationForm.label(of: "name") == "姓名")
        #expect(NominationForm.label(of: "party_work_since") == "从事党务工作时间")
        #expect(NominationForm.label(of: "org_name") == "党组织名称")
        #expect(NominationForm.label(of: "committee_opinion") == "行业党委意见")
        #expect(NominationForm.label(of: "committee_signer") == "书记签字")
        #expect(NominationForm.label(of: "committee_opinion_date") == "签字日期")
        #expect(NominationForm.label(of: "photo") == "二寸免冠照片")
        #expect(NominationForm.label(of: "category") == "推荐类别")
        #expect(NominationForm.label(of: "dues_paid_3y") == "近三年按规定缴纳党费")
        #expect(NominationForm.label(of: "unknown_key") == "unknown_key")
    }
}
