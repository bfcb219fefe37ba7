import Foundation

/// Checks one nomination against the notice. The web form, the Excel import and submission all call
/// this, so a nomination means the same thing whichever way it arrived.
public enum NominationRules {
    /// Cleans and checks `input`. Empty required fields are listed in `missing`, not as issues, so a draft
    /// shows what is left to do apart from what is wrong.
    public static func check(_ input: NominationInput, settings: CampaignSettings, deadline: Date,
                             today: Date) -> NominationCheck {
        let category = input.category
        let specs = NominationForm.fields(for: category)
        var cleaned: [String: String] = [:]
        var issues: [FieldIssue] = []
        // Fields whose value could not be read: later rules skip them instead of repeating the complaint.
        var unreadable: Set<String> = []

        for spec in specs + NominationForm.committeeFields {
            guard let raw = input.values[spec.key] else { continue }
            let (value, issue) = clean(raw, spec: spec)
            cleaned[spec.key] = value
            if let issue {
                issues.append(issue)
                unreadable.insert(spec.key)
            }
        }

        var deedsCount = 0
        if let deeds = cleaned["deeds"], !deeds.isEmpty {
            deedsCount = CharacterCount.count(deeds)
            if let issue = DeedsLengthPolicy(settings: settings).check(count: deedsCount).issue {
                issues.append(issue)
            }
        }
        if let honors = cleaned["honors_received"], !honors.isEmpty, !unreadable.contains("honors_received") {
            issues += ResumeLines.parseHonors(honors, today: today).issues
        }

        if category.isPerson {
            issues += checkPerson(&cleaned, category: category, unreadable: unreadable,
                                  deadline: deadline, today: today)
        } else if let text = cleaned["member_count"], let count = Int(text), count < 3 {
            issues.append(.error("member_count", "党员人数为\(count)，党组织应至少有3名正式党员"))
        }

        if let signed = cleaned["committee_opinion_date"].flatMap(DayStamp.init), signed > DayStamp(today) {
            issues.append(.error("committee_opinion_date", "签字日期不能晚于今天"))
        }

        var missing = (specs + NominationForm.committeeFields).filter { $0.required && (cleaned[$0.key] ?? "").isEmpty }.map(\.key)
        if category.isPerson {
            missing += NominationForm.attestations.map(\.key).filter { !input.attestations.contains($0) }
            if !input.hasPhoto { missing.append("photo") }
        }
        return NominationCheck(cleaned: cleaned, issues: issues, missing: missing, deedsCount: deedsCount)
    }

    // MARK: Per kind

    /// The stored form of one value and, when it cannot be accepted as typed, the reason.
    static func clean(_ raw: String, spec: FieldSpec) -> (String, FieldIssue?) {
        let key = spec.key, label = spec.label
        // Codes, dates and numbers are short; a long paste is refused before the parsers walk it again.
        func tooLong(_ text: String) -> Bool { text.utf8.count > shortValueLimit }
        switch spec.kind {
        case .text(let max):
            let text = TextInput.line(raw)
            // ID number and phone are judged on their normalised form below, spaces and all.
            if key == "id_number" || key == "phone" { return (text, nil) }
            return (text, lengthIssue(text, max: max, key: key, label: label))
        case .block(let max):
            let text = TextInput.block(raw)
            return (text, lengthIssue(text, max: max, key: key, label: label))
        case .deeds:
            return (TextInput.block(raw), nil)
        case .month:
            let text = TextInput.line(raw)
            guard !text.isEmpty else { return (text, nil) }
            guard !tooLong(text), let month = MonthValue(text) else {
                return (text, .error(key, "\(label)“\(preview(text))”请按 YYYY-MM 填写，如 2010-07"))
            }
            if NominationForm.dayOptionalKeys.contains(key), let day = dayOfMonth(text) {
                return (DayStamp(year: month.year, month: month.month, day: day).description, nil)
            }
            return (month.description, nil)
        case .day:
            let text = TextInput.line(raw)
            guard !text.isEmpty else { return (text, nil) }
            guard !tooLong(text), let month = MonthValue(text), let day = dayOfMonth(text) else {
                return (text, .error(key, "\(label)“\(preview(text))”请按 YYYY-MM-DD 填写，如 2024-05-20"))
            }
            return (DayStamp(year: month.year, month: month.month, day: day).description, nil)
        case .number:
            let line = TextInput.line(raw)
            guard !tooLong(line) else { return (line, .error(key, "\(label)“\(preview(line))”应为整数")) }
            let text = TextInput.halfWidth(line).replacingOccurrences(of: " ", with: "")
            guard !text.isEmpty else { return (text, nil) }
            guard text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) else {
                return (text, .error(key, "\(label)“\(preview(text))”应为整数"))
            }
            return (String(n), nil)
        case .choice(let choices):
            let text = TextInput.line(raw)
            guard !text.isEmpty else { return (text, nil) }
            if !tooLong(text), let value = choiceValue(text, key: key, choices: choices) { return (value, nil) }
            return (text, .error(key, "\(label)“\(preview(text))”不在可选项中，请从列表中选择"))
        case .yesNo:
            let text = TextInput.line(raw)
            guard !text.isEmpty else { return (text, nil) }
            switch tooLong(text) ? "" : text.lowercased() {
            case "yes", "是", "y", "true", "1", "on": return ("yes", nil)
            case "no", "否", "n", "false", "0", "off": return ("no", nil)
            default: return (text, .error(key, "\(label)请选择“是”或“否”"))
            }
        }
    }

    /// Longer than any code, date, number, ID or phone number could be, in UTF-8 bytes.
    static let shortValueLimit = 64

    static func lengthIssue(_ text: String, max: Int, key: String, label: String) -> FieldIssue? {
        let length = TextInput.length(text)
        guard length > max else { return nil }
        return .error(key, "\(label)最多\(max)字，现为\(length)字")
    }

    /// A code, or its name as spreadsheets carry it (汉族, 本科): the list's own lookups know the aliases.
    static func choiceValue(_ text: String, key: String, choices: [FieldSpec.Choice]) -> String? {
        if let exact = choices.first(where: { $0.value == text || $0.label == text }) { return exact.value }
        let found: String? = switch key {
        case "ethnicity": Ethnicity.lookup(text)?.code
        case "education": Education.lookup(text)?.code
        default: nil
        }
        return found.flatMap { value in choices.contains { $0.value == value } ? value : nil }
    }

    /// The day of a date MonthValue already accepted, when one was written (`2006-06-15`, `2006年6月15日`,
    /// `20060615`).
    static func dayOfMonth(_ text: String) -> Int? {
        let groups = TextInput.halfWidth(text).split { !($0.isASCII && $0.isNumber) }
        if groups.count == 3 { return Int(groups[2]) }
        if groups.count == 1, groups[0].count == 8 { return Int(groups[0].suffix(2)) }
        return nil
    }

    /// Messages quote what was typed, but not a whole pasted page.
    static func preview(_ text: String) -> String {
        text.count > 20 ? String(text.prefix(20)) + "…" : text
    }

    // MARK: People

    static let dateKeys = ["birth_month", "work_start_month", "party_join_date", "full_member_date", "party_work_since"]

    /// ID number, phone, the dates against each other and the ID, and the résumé.
    static func checkPerson(_ cleaned: inout [String: String], category: NominationCategory,
                            unreadable: Set<String>, deadline: Date, today: Date) -> [FieldIssue] {
        var issues: [FieldIssue] = []

        var id: IDNumber?
        if let raw = cleaned["id_number"], raw.utf8.count > shortValueLimit {
            issues.append(.error("id_number", IDNumberError.badLength(TextInput.length(raw)).message))
        } else if let raw = cleaned["id_number"], !raw.isEmpty {
            cleaned["id_number"] = IDNumber.normalize(raw)
            do throws(IDNumberError) {
                id = try IDNumber(raw, today: today)
            } catch {
                issues.append(.error("id_number", error.message))
            }
        }

        if let id {
            let typed = cleaned["gender"] ?? ""
            if typed.isEmpty {
                cleaned["gender"] = id.gender.rawValue
            } else if !unreadable.contains("gender"), typed != id.gender.rawValue {
                issues.append(.error("gender", "性别“\(typed)”与身份证号（\(id.gender.rawValue)）不一致"))
            }
            if (cleaned["birth_month"] ?? "").isEmpty { cleaned["birth_month"] = id.birthMonth.description }
        }

        if let raw = cleaned["phone"], raw.utf8.count > shortValueLimit {
            issues.append(.error("phone", PhoneError.invalid.message))
        } else if let raw = cleaned["phone"], !raw.isEmpty {
            do throws(PhoneError) {
                let phone = try PhoneNumber(raw)
                cleaned["phone"] = phone.normalized
                if let warning = phone.warning { issues.append(.warning("phone", warning)) }
            } catch {
                issues.append(.error("phone", error.message))
            }
        }

        // Empty and unreadable dates are already reported (missing, or the format error), so the date
        // rules only see readable ones and their own complaints about the others are dropped.
        func readable(_ key: String) -> String? {
            guard let value = cleaned[key], !value.isEmpty, !unreadable.contains(key) else { return nil }
            return value
        }
        let enteredBirth = readable("birth_month")
        let dates = PersonDateInput(
            birthMonth: id?.birthMonth ?? enteredBirth.flatMap(MonthValue.init),
            enteredBirthMonth: enteredBirth,
            workStartMonth: readable("work_start_month"),
            partyJoinDate: readable("party_join_date"),
            fullMemberDate: readable("full_member_date"),
            partyWorkSince: readable("party_work_since"))
        let skipped = Set(dateKeys.filter { readable($0) == nil })
        issues += PersonDateRules.check(dates, category: category, deadline: deadline, today: today)
            .filter { !skipped.contains($0.field) }

        if let resume = readable("resume") {
            issues += ResumeLines.parseResume(resume, today: today).issues
        }
        return issues
    }
}
