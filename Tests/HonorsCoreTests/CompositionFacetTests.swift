import Testing
@testable import HonorsCore

@Suite("Composition facets")
struct CompositionFacetTests {
    @Test("ages and party years are banded against the award year, at each band's edges")
    func yearBands() {
        let age = CompositionFacet.age
        #expect(age.bands.map(\.label) == ["35岁及以下", "36—45岁", "46—55岁", "56岁及以上"])
        #expect(age.band(of: "1989-07", awardYear: 2024) == "0", "35 in 2024")
        #expect(age.band(of: "1988-01", awardYear: 2024) == "36", "36 in 2024")
        #expect(age.band(of: "1979-12", awardYear: 2024) == "36", "45")
        #expect(age.band(of: "1978-03", awardYear: 2024) == "46", "46")
        #expect(age.band(of: "1968", awardYear: 2024) == "56", "56, stored as the year alone")
        #expect(age.band(of: "2030-01", awardYear: 2024) == nil, "born after the award year: not a band")
        let party = CompositionFacet.partyYears
        #expect(party.bands.map(\.label) == ["5年及以下", "6—10年", "11—20年", "21—30年", "31年及以上"])
        #expect(party.band(of: "2019-06-30", awardYear: 2024) == "0")
        #expect(party.band(of: "2018-06", awardYear: 2024) == "6")
        #expect(party.band(of: "2003", awardYear: 2024) == "21")
        #expect(party.band(of: "1993", awardYear: 2024) == "31")
        #expect(party.band(of: "", awardYear: 2024) == nil && party.band(of: "某年", awardYear: 2024) == nil)
    }

    @Test("ethnic codes split into 汉族, the 55 minorities and the two codes that are neither")
    func ethnicity() {
        let facet = CompositionFacet.ethnicity
        #expect(facet.band(of: "01", awardYear: 2024) == "han")
        #expect(facet.band(of: "02", awardYear: 2024) == "minority", "蒙古族")
        #expect(facet.band(of: "56", awardYear: 2024) == "minority", "基诺族, the last of the 56")
        #expect(facet.band(of: "97", awardYear: 2024) == "other" && facet.band(of: "98", awardYear: 2024) == "other")
        #expect(facet.band(of: "57", awardYear: 2024) == nil, "not a code")
    }

    @Test("education by the coarse level of party statistics; organisations by their size")
    func educationAndMembers() {
        #expect(CompositionFacet.education.band(of: "14", awardYear: 2024) == EducationLevel.postgraduate.rawValue)
        #expect(CompositionFacet.education.band(of: "44", awardYear: 2024) == EducationLevel.highSchool.rawValue)
        #expect(CompositionFacet.education.band(of: "90", awardYear: 2024) == EducationLevel.juniorHighOrBelow.rawValue)
        #expect(CompositionFacet.education.band(of: "20", awardYear: 2024) == nil, "a group code is not chosen")
        let members = CompositionFacet.members
        #expect(members.bands.map(\.label) == ["3—9人", "10—29人", "30—49人", "50—99人", "100人及以上"])
        #expect(members.band(of: "3", awardYear: 2024) == "3" && members.band(of: "9", awardYear: 2024) == "3")
        #expect(members.band(of: "10", awardYear: 2024) == "10" && members.band(of: "250", awardYear: 2024) == "100")
        #expect(members.band(of: "2", awardYear: 2024) == nil)
    }

    @Test("organisations carry only their size, people everything else")
    func applies() {
        #expect(CompositionFacet.allCases.filter { $0.applies(to: .org) } == [.members])
        #expect(CompositionFacet.allCases.filter { $0.applies(to: .worker) } == [.frontline, .gender, .ethnicity, .age, .partyYears, .education])
    }

    @Test("a list falls short of the front-line emphasis below half, never when empty")
    func frontline() {
        #expect(FrontlinePriority.fallsShort(frontline: 2, of: 5))
        #expect(!FrontlinePriority.fallsShort(frontline: 3, of: 6), "exactly half is enough")
        #expect(!FrontlinePriority.fallsShort(frontline: 0, of: 0))
        #expect(FrontlinePriority.fallsShort(frontline: 0, of: 1))
    }

    @Test("a table counts each stage's states by band, keeps unreadable values apart and gives shares in per mille")
    func table() {
        func count(_ committee: Int, _ category: NominationCategory, _ state: NominationState, _ facet: CompositionFacet,
                   _ value: String, _ n: Int) -> CompositionCount {
            CompositionCount(committeeID: committee, category: category, state: state, facet: facet, value: value, n: n)
        }
        let counts = [
            count(1, .member, .submitted, .gender, "女", 2), count(1, .member, .approved, .gender, "女", 1),
            count(1, .member, .commended, .gender, "男", 3), count(1, .member, .draft, .gender, "女", 40),
            count(1, .member, .withdrawn, .gender, "女", 40), count(2, .worker, .returned, .gender, "", 1),
            count(1, .member, .submitted, .frontline, "yes", 2), count(1, .member, .approved, .frontline, "no", 1),
            count(1, .member, .commended, .frontline, "no", 3), count(2, .worker, .returned, .frontline, "yes", 1),
            count(3, .org, .approved, .members, "12", 1),
        ]
        let tables = CompositionSummary.tables(counts, awardYear: 2024, categories: [.member, .worker])
        #expect(tables.map(\.facet) == [.frontline, .gender, .ethnicity, .age, .partyYears, .education])
        let gender = tables[1]
        #expect(gender.rows.map(\.submitted) == [3, 3], "drafts and withdrawn ones are not submitted")
        #expect(gender.rows.map(\.approved) == [3, 1], "commended ones were approved")
        #expect(gender.submittedTotal == 7 && gender.unknown(.submitted) == 1 && gender.unknown(.approved) == 0)
        #expect(gender.perMille(3, .submitted) == 429 && gender.perMille(1, .approved) == 250)
        #expect(tables[2].submittedTotal == 0 && tables[2].perMille(0, .submitted) == nil)
        #expect(CompositionSummary.tables(counts, awardYear: 2024, categories: [.org]).map { $0.rows[1].approved } == [1], "12 members: the 10—29 band")

        let lines = CompositionSummary.frontline(counts, committees: [2, 1, 3], categories: [.member, .worker])
        #expect(lines.map(\.committeeID) == [2, 1, 3])
        #expect(lines[1].submittedPeople == 6 && lines[1].submittedFrontline == 2 && lines[1].submittedShort)
        #expect(lines[1].approvedPeople == 4 && lines[1].approvedFrontline == 0 && lines[1].approvedShort)
        #expect(!lines[0].submittedShort && !lines[0].approvedShort && lines[0].approvedPeople == 0)
        #expect(lines[2].submittedPeople == 0 && !lines[2].submittedShort)
    }
}
