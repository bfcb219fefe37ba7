import Foundation
import HonorsCore
import Testing

/// The 公示 plan, the objection form and the certificate numbers, as the public and the administrator type them.
@Suite("公示 and 表彰 rules")
struct PublicityRulesTests {
    let calendar = WorkingCalendar.standard

    func plan(start: String?, days: String? = "5", unit: String? = "市个体私营经济组织党委", phone: String? = "0477-8581234",
              today: String = "2024-09-01") -> Result<PublicityPlan, FieldErrors> {
        PublicityPlan.parse(startOn: start, workingDays: days, contactUnit: unit, contactPhone: phone, contactAddress: "",
                            today: DayStamp(today)!, calendar: calendar)
    }

    @Test("the plan counts working days from the calendar, as typed (full-width digits, default length)")
    func planPeriod() throws {
        let september = try plan(start: "2024-09-12").get()
        #expect(september.first == DayStamp("2024-09-12") && september.last == DayStamp("2024-09-19"))
        let april = try plan(start: "２０２４-04-28", days: "", today: "2024-04-01").get()
        #expect(april.first == DayStamp("2024-04-28") && april.last == DayStamp("2024-05-07") && april.workingDays == 5)
        let holiday = try plan(start: "2024-10-01").get()
        #expect(holiday.first == DayStamp("2024-10-08"), "a holiday start begins on the next working day")
        #expect(september.contactPhone == "0477-8581234")
    }

    @Test("a plan that cannot be is refused beside its field")
    func planRefusals() {
        func errors(_ result: Result<PublicityPlan, FieldErrors>) -> [String: String] {
            if case .failure(let failure) = result { return failure.messages } else { return [:] }
        }
        #expect(errors(plan(start: "2024-08-30"))["start_on"]?.contains("不能早于今天") == true)
        #expect(errors(plan(start: "明天"))["start_on"] != nil)
        #expect(errors(plan(start: "2024-09-12", days: "0"))["working_days"] != nil)
        #expect(errors(plan(start: "2024-09-12", days: "31"))["working_days"] != nil)
        #expect(errors(plan(start: "2024-09-12", unit: " "))["contact_unit"] != nil)
        #expect(errors(plan(start: "2024-09-12", phone: "12345"))["contact_phone"] != nil)
        #expect(errors(plan(start: "2026-12-28", today: "2026-12-01"))["start_on"]?.contains("2027") == true,
                "a year without an arrangement is refused, never guessed")
    }

    @Test("the period takes objections from its first day's start to its last day's end")
    func period() {
        let period = PublicityPeriod(first: DayStamp("2024-09-12")!, last: DayStamp("2024-09-19")!)
        #expect(!period.takesObjections(at: DayStamp("2024-09-11")!.end.addingTimeInterval(-1)))
        #expect(period.takesObjections(at: DayStamp("2024-09-12")!.start))
        #expect(period.takesObjections(at: DayStamp("2024-09-19")!.end.addingTimeInterval(-1)))
        #expect(!period.takesObjections(at: DayStamp("2024-09-19")!.end) && period.hasEnded(at: DayStamp("2024-09-19")!.end))
        #expect(period.chinese == "2024年9月12日至2024年9月19日")
    }

    @Test("an objection needs a real name, a phone, a listed nominee and its content")
    func objection() throws {
        func parse(_ name: String?, _ phone: String?, _ nomination: String? = "7", _ content: String? = "事迹不实。") -> Result<ObjectionInput, FieldErrors> {
            ObjectionInput.parse(objectorName: name, objectorPhone: phone, nomination: nomination, content: content, listed: [7, 8])
        }
        let good = try parse(" 李明 ", "139 1234 5678", "７").get()
        #expect(good.objectorName == "李明" && good.objectorPhone == "13912345678" && good.nominationID == 7)
        func errors(_ result: Result<ObjectionInput, FieldErrors>) -> [String: String] {
            if case .failure(let failure) = result { return failure.messages } else { return [:] }
        }
        #expect(errors(parse(nil, "13912345678"))["objector_name"]?.contains("匿名异议不予受理") == true)
        #expect(errors(parse("李明", ""))["objector_phone"]?.contains("匿名异议不予受理") == true)
        #expect(errors(parse("😀", "13912345678"))["objector_name"] != nil, "an emoji is no name")
        #expect(errors(parse("李\u{7}明", "13912345678"))["objector_name"] == nil, "control characters are dropped")
        #expect(errors(parse("𠮷野", "13912345678"))["objector_name"] == nil, "a rare character is a name")
        #expect(errors(parse("李明", "13912345678", "9"))["nomination"] != nil, "not on the list")
        #expect(errors(parse("李明", "13912345678", "7", String(repeating: "字", count: 2001)))["content"]?.contains("2001") == true)
        #expect(errors(parse("李明", "13912345678", "7", " "))["content"] != nil)
    }

    @Test("certificate numbers: year, honour, sequence; read back as typed, nothing else")
    func certificateNumbers() {
        #expect(CertificateNumber(year: 2024, category: .member, sequence: 1).description == "2024-YXDY-001")
        #expect(CertificateNumber(year: 2024, category: .org, sequence: 12).description == "2024-XJJC-012")
        #expect(CertificateNumber(year: 2024, category: .worker, sequence: 1000).description == "2024-YXDW-1000")
        #expect(CertificateNumber(" 2024-yxdy-００７ ") == CertificateNumber(year: 2024, category: .member, sequence: 7))
        for bad in ["", "2024-ABCD-001", "2024-YXDY-0", "24-YXDY-001", "2024-YXDY-001-1", "<script>", "2024-YXDY-000"] {
            #expect(CertificateNumber(bad) == nil, "\(bad)")
        }
    }

    @Test("the decision's number follows the campaign's sequence; its text is checked")
    func decisionText() {
        #expect(DecisionText.nextNumber(after: "鄂党联发〔2024〕4号", year: 2024) == "鄂党联发〔2024〕5号")
        #expect(DecisionText.nextNumber(after: "鄂党联发〔2024〕9号", year: 2024) == "鄂党联发〔2024〕10号")
        let proposed = DecisionText.proposed(awardYear: 2023, documentNumber: "鄂党联发〔2024〕4号", issuingBody: Notice2024.issuingBody,
                                             today: DayStamp("2024-06-28")!)
        #expect(proposed.number == "鄂党联发〔2024〕5号" && proposed.preamble.contains("103周年"))
        #expect(proposed.title == "关于表彰2023年度“两优一先”的决定")
        if case .failure(let failure) = DecisionText.parse(number: "", title: "t", preamble: "p", issuingBody: "b", issuedOn: "6月") {
            #expect(failure.messages["decision_number"] != nil && failure.messages["issued_on"] != nil)
        } else {
            Issue.record("an empty number and a wrong date are refused")
        }
    }

    @Test("a name is masked to its family name")
    func maskedName() {
        #expect(PersonName.masked("李明") == "李*")
        #expect(PersonName.masked("欧阳娜娜") == "欧***")
        #expect(PersonName.masked("李") == "*")
    }
}
