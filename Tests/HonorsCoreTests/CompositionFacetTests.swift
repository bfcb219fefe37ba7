import Foundation
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

    @Test("a stored value is read without the spaces and tabs around it, exactly as Foundation trims them")
    func trimmed() {
        let pieces = ["", " ", "\t", "\u{3000}", "\u{00A0}", "\n", "\r\n", "男", "01", "1990-01", "𠮷", "𬌗", "👍🏽", "e\u{301}", " x ", "\u{200B}", "\u{FEFF}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(CompositionFacet.trimmed(value) == value.trimmingCharacters(in: .whitespaces), "\(value.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for code in 0...0xFFFF {
            guard let scalar = Unicode.Scalar(code) else { continue }
            let value = "\(scalar)x\(scalar)"
            guard CompositionFacet.trimmed(value) == value.trimmingCharacters(in: .whitespaces) else {
                Issue.record("U+\(String(code, radix: 16)) trimmed otherwise than by Foundation")
                continue
            }
        }
        #expect(CompositionFacet.gender.band(of: "\u{3000}女 ", awardYear: 2024) == "女")
        #expect(CompositionFacet.frontline.band(of: "yes\n", awardYear: 2024) == nil, "a line break is not a space")
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

    @Test("the submitted list is everything that reached the alliance; the approved one lies within it")
    func stages() {
        #expect(Set(CompositionStage.submitted.states) == NominationState.reachedAlliance)
        #expect(CompositionStage.approved.states == [.approved, .publicizing, .cleared, .disqualified, .commended])
        #expect(Set(CompositionStage.approved.states).isSubset(of: CompositionStage.submitted.states))
        #expect(!CompositionStage.submitted.includes(.draft) && !CompositionStage.submitted.includes(.withdrawn))
    }

    @Test("a table counts each stage by band, keeps unreadable values apart and gives shares in per mille")
    func table() {
        func count(_ committee: Int, _ category: NominationCategory, _ facet: CompositionFacet, _ value: String,
                   submitted: Int, approved: Int) -> CompositionCount {
            CompositionCount(committeeID: committee, category: category, facet: facet, value: value, submitted: submitted, approved: approved)
        }
        let counts = [
            count(1, .member, .gender, "女", submitted: 3, approved: 1), count(1, .member, .gender, "男", submitted: 3, approved: 3),
            count(2, .worker, .gender, "", submitted: 1, approved: 0),
            count(1, .member, .frontline, "yes", submitted: 2, approved: 0), count(1, .member, .frontline, "no", submitted: 4, approved: 4),
            count(2, .worker, .frontline, "yes", submitted: 1, approved: 0),
            count(3, .org, .members, "12", submitted: 1, approved: 1),
        ]
        let tables = CompositionSummary.tables(counts, awardYear: 2024, categories: [.member, .worker])
        #expect(tables.map(\.facet) == [.frontline, .gender, .ethnicity, .age, .partyYears, .education])
        let gender = tables[1]
        #expect(gender.rows.map(\.submitted) == [3, 3] && gender.rows.map(\.approved) == [3, 1])
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
