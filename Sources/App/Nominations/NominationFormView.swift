import Foundation
import HonorsCore

/// What the form template needs for one input: its spec as plain values, what was typed, and the messages
/// to show beside it.
struct FieldView: Encodable {
    let key: String
    let label: String
    let kind: String
    let value: String
    let options: [SelectOption]
    let required: Bool
    let hint: String?
    let maxLength: Int
    let errors: [String]
    let warnings: [String]
    /// Text the system offers for the field (受表彰情况: honours on record), filled in at a click.
    let offer: String?
}

enum FormViews {
    /// The inputs of a category's form, in the printed form's order. `saved` are values kept server-side
    /// (ID number, phone) that are not sent back into the page: their masked form is shown as the hint.
    static func fields(_ specs: [FieldSpec], values: [String: String], issues: [FieldIssue],
                       masked: [String: String] = [:], offers: [String: String] = [:]) -> [FieldView] {
        specs.map { spec in
            let typed = values[spec.key] ?? ""
            var options: [SelectOption] = []
            var kind = "text", maxLength = 0
            switch spec.kind {
            case .text(let max): maxLength = max
            case .block(let max): kind = "block"; maxLength = max
            case .deeds: kind = "deeds"
            case .month: kind = "month"
            case .day: kind = "day"
            case .number: kind = "number"
            case .choice(let choices):
                kind = "choice"
                options = choices.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == typed) }
            case .yesNo:
                kind = "choice"
                options = [("yes", "是"), ("no", "否")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == typed) }
            }
            var hint = spec.hint
            var value = typed
            if let saved = masked[spec.key] {
                value = ""
                hint = "已保存：\(saved)。留空则保持不变，如需修改请重新完整填写。"
            }
            return FieldView(key: spec.key, label: spec.label, kind: kind, value: value, options: options,
                             required: spec.required, hint: hint, maxLength: maxLength,
                             errors: issues.on(spec.key).filter(\.isError).map(\.message),
                             warnings: issues.on(spec.key).filter { !$0.isError }.map(\.message),
                             offer: offers[spec.key].flatMap { typed.contains($0) ? nil : $0 })
        }
    }

    struct AttestationView: Encodable {
        let key: String
        let statement: String
        let checked: Bool
        let record: String?
    }

    static func attestations(checked: Set<String>, records: [String: Nomination.Attestation]) -> [AttestationView] {
        NominationForm.attestations.map { item in
            AttestationView(key: item.key, statement: item.statement, checked: checked.contains(item.key),
                            record: records[item.key].map { "\($0.by) 于 \(DateFormatting.minute($0.at)) 确认" })
        }
    }
}
