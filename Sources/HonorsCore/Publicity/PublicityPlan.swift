import Foundation

/// The 公示 as the administrator starts it: its first and last day (from the working calendar) and where
/// objections go. Fields `start_on`, `working_days`, `contact_unit`, `contact_phone`, `contact_address`.
public struct PublicityPlan: Sendable, Equatable {
    /// The day the 公示 begins: the start day when it works, the next working day otherwise.
    public var first: DayStamp
    /// Its last day; objections are taken until this day ends.
    public var last: DayStamp
    public var workingDays: Int
    public var contactUnit: String
    public var contactPhone: String
    public var contactAddress: String

    /// The length customary for a 拟表彰 list.
    public static let defaultWorkingDays = 5
    public static let workingDayRange = 1...30

    public var period: PublicityPeriod { PublicityPeriod(first: first, last: last) }

    public init(first: DayStamp, last: DayStamp, workingDays: Int, contactUnit: String, contactPhone: String, contactAddress: String) {
        self.first = first
        self.last = last
        self.workingDays = workingDays
        self.contactUnit = contactUnit
        self.contactPhone = contactPhone
        self.contactAddress = contactAddress
    }

    /// Reads what the administrator typed; field key → Chinese message when something is wrong. The start
    /// may not lie before `today`, and a year the calendar has no arrangement for is refused, never guessed.
    public static func parse(startOn: String?, workingDays: String?, contactUnit: String?, contactPhone: String?,
                             contactAddress: String?, today: DayStamp, calendar: WorkingCalendar) -> Result<PublicityPlan, FieldErrors> {
        var errors: [String: String] = [:]
        let startText = TextInput.halfWidth(TextInput.line(startOn ?? ""))
        let start = DayStamp(startText)
        if start == nil { errors["start_on"] = "请按 YYYY-MM-DD 填写公示开始日期。" }
        else if let start, start < today { errors["start_on"] = "公示开始日期不能早于今天（\(today.chinese)）。" }

        let daysText = TextInput.halfWidth(TextInput.line(workingDays ?? ""))
        let days = daysText.isEmpty ? defaultWorkingDays : Int(daysText)
        if days == nil || !workingDayRange.contains(days!) {
            errors["working_days"] = "公示期应为 \(workingDayRange.lowerBound)–\(workingDayRange.upperBound) 个工作日的整数。"
        }

        let unit = TextInput.line(contactUnit ?? "")
        let phone = TextInput.line(contactPhone ?? "")
        let address = TextInput.line(contactAddress ?? "")
        if unit.isEmpty { errors["contact_unit"] = "请填写受理异议的单位，将在公示页面上公布。" }
        else if unit.count > 100 { errors["contact_unit"] = "受理单位最多 100 字。" }
        if phone.isEmpty { errors["contact_phone"] = "请填写受理异议的电话。" }
        else if (try? PhoneNumber(phone)) == nil { errors["contact_phone"] = "电话应为手机号或带区号的固定电话，如 0477-8581234。" }
        if address.count > 200 { errors["contact_address"] = "通信地址最多 200 字。" }

        var period: (first: DayStamp, last: DayStamp)?
        if let start, let days, workingDayRange.contains(days), errors["start_on"] == nil {
            do { period = try calendar.period(startingOn: start, workingDays: days) }
            catch let unknown as WorkingCalendar.UnknownYear { errors["start_on"] = unknown.message }
            catch { errors["start_on"] = "无法计算公示结束日期。" }
        }
        guard errors.isEmpty, let period, let days else { return .failure(FieldErrors(errors)) }
        let normalized = (try? PhoneNumber(phone))?.normalized ?? phone
        return .success(PublicityPlan(first: period.first, last: period.last, workingDays: days, contactUnit: unit,
                                      contactPhone: normalized, contactAddress: address))
    }
}

/// A 公示 under way or past: what the public page and the objection form ask of it.
public struct PublicityPeriod: Sendable, Equatable {
    public var first: DayStamp
    public var last: DayStamp

    public init(first: DayStamp, last: DayStamp) {
        self.first = first
        self.last = last
    }

    /// Objections are taken from the first day's start to the last day's end, in the alliance's time zone.
    public func takesObjections(at now: Date) -> Bool { first.start <= now && now < last.end }
    public func hasEnded(at now: Date) -> Bool { now >= last.end }
    public func hasBegun(at now: Date) -> Bool { now >= first.start }

    /// `2024年9月12日至2024年9月19日`
    public var chinese: String { "\(first.chinese)至\(last.chinese)" }
}

/// Messages keyed by field, as forms show them beside the field.
public struct FieldErrors: Error, Sendable, Equatable {
    public var messages: [String: String]
    public init(_ messages: [String: String]) { self.messages = messages }
}
