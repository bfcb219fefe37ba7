import Foundation
import Testing
@testable import HonorsCore

@Suite struct PersonDateRulesTests {
    let today = DayStamp(year: 2024, month: 5, day: 20).start
    let deadline = Notice2024.deadlineDay.end

    func input(birth: String = "1985-03", work: String? = "2007-07", join: String? = "2006-06",
               full: String? = "2007-06", partyWork: String? = "2020-01", entered: String? = nil) -> PersonDateInput {
        PersonDateInput(birthMonth: MonthValue(birth), enteredBirthMonth: entered, workStartMonth: work,
                        partyJoinDate: join, fullMemberDate: full, partyWorkSince: partyWork)
    }

    func check(_ i: PersonDateInput, _ category: NominationCategory = .member) -> [FieldIssue] {
        PersonDateRules.check(i, category: category, deadline: deadline, today: today)
    }

    @Test func consistentDatesPass() {
        #expect(check(input()).isEmpty)
        #expect(check(input(), .worker).isEmpty)
        #expect(check(input(work: nil, join: nil, full: nil), .org).isEmpty)
    }

    @Test func requiredFields() {
        let issues = check(input(work: " ", join: nil, full: ""))
        #expect(Set(issues.map(\.field)) == ["work_start_month", "party_join_date", "full_member_date"])
        #expect(issues.allSatisfy { $0.isError })
        #expect(check(input(partyWork: nil)).isEmpty)
        #expect(check(input(partyWork: nil), .worker).map(\.field) == ["party_work_since"])
    }

    @Test func badFormatNamesTheField() {
        let issues = check(input(full: "去年"))
        #expect(issues.count == 1)
        #expect(issues[0].field == "full_member_date")
        #expect(issues[0].message.contains("去年"))
    }

    @Test func workStartAfterFourteen() {
        #expect(check(input(work: "1999-03")).isEmpty)
        let issues = check(input(work: "1999-02"))
        #expect(issues.map(\.field) == ["work_start_month"])
        #expect(issues[0].message.contains("14周岁"))
    }

    @Test func joinAtEighteenOrLater() {
        #expect(check(input(join: "2003-03", full: "2004-03")).isEmpty)
        let issues = check(input(join: "2003-02", full: "2004-02"))
        #expect(issues.map(\.field) == ["party_join_date"])
    }

    @Test func fullMemberAfterJoinAndByDeadline() {
        #expect(check(input(join: "2006-06", full: "2006-06")).map(\.field) == ["full_member_date"])
        #expect(check(input(join: "2006-06", full: "2005-06")).first?.isError == true)
        // Probation is a year; less is suspicious but only a warning (month precision, typos in day).
        let short = check(input(join: "2006-06", full: "2006-12"))
        #expect(short.map(\.severity) == [.warning])
        // Extended probation is fine.
        #expect(check(input(join: "2006-06", full: "2008-06")).isEmpty)
        // Deadline 2024-05-30: full member in May 2024 counts, June 2024 does not.
        #expect(check(input(join: "2023-05", full: "2024-05")).isEmpty)
        let late = PersonDateRules.check(input(join: "2023-06", full: "2024-06"), category: .member,
                                         deadline: deadline, today: DayStamp(year: 2024, month: 6, day: 20).start)
        #expect(late.map(\.field) == ["full_member_date"])
        #expect(late[0].message.contains("正式党员"))
    }

    @Test func futureDatesRefused() {
        let issues = check(input(work: "2024-06"))
        #expect(issues.map(\.field) == ["work_start_month"])
        #expect(issues[0].message.contains("晚于当前月份"))
        #expect(check(input(work: "2024-05")).isEmpty)
    }

    @Test func partyWorkOneYearByDeadline() {
        #expect(check(input(partyWork: "2023-05"), .worker).isEmpty)
        let issues = check(input(partyWork: "2023-06"), .worker)
        #expect(issues == [.warning("party_work_since",
                                    "从事党务工作时间 2023-06 至推荐截止时间 2024-05 不满1年，通知要求一般应当从事党务工作1年以上")])
        // Members are not judged on party work.
        #expect(check(input(partyWork: "2023-06"), .member).isEmpty)
    }

    @Test func enteredBirthMonthMustMatchID() {
        #expect(check(input(entered: "1985.03")).isEmpty)
        #expect(check(input(entered: "1985-04")).map(\.field) == ["birth_month"])
    }

    @Test func withoutIDOnlyRelativeRulesApply() {
        let i = PersonDateInput(birthMonth: nil, workStartMonth: "1960-01", partyJoinDate: "1961-01",
                                fullMemberDate: "1962-01")
        #expect(check(i).isEmpty)
    }
}
