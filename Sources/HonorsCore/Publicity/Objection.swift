import Foundation

/// An objection from the public page, as Chinese practice takes it: under the objector's real name and a
/// phone number the alliance can call back; an unnamed one is refused with that reason. Fields
/// `objector_name`, `objector_phone`, `nomination`, `content` (and an optional `attachment`).
public struct ObjectionInput: Sendable, Equatable {
    public var objectorName: String
    /// Normalised.
    public var objectorPhone: String
    public var nominationID: Int
    public var content: String

    public static let contentMaxLength = 2000
    public static let nameMaxLength = 30

    /// `listed`: the nominations on the list the page shows; another id is refused as not on the list.
    public static func parse(objectorName: String?, objectorPhone: String?, nomination: String?, content: String?,
                             listed: Set<Int>) -> Result<ObjectionInput, FieldErrors> {
        var errors: [String: String] = [:]
        let name = TextInput.line(objectorName ?? "")
        if name.isEmpty {
            errors["objector_name"] = "请填写您的真实姓名。按照公示的规定，异议须实名提出，匿名异议不予受理。"
        } else if name.count > nameMaxLength {
            errors["objector_name"] = "姓名最多 \(nameMaxLength) 字。"
        } else if name.unicodeScalars.contains(where: { !($0.properties.isAlphabetic || $0 == "·" || $0 == "•" || $0 == " ") }) {
            errors["objector_name"] = "姓名只能包含文字和“·”。"
        }
        var phone = ""
        do { phone = try PhoneNumber(objectorPhone ?? "").normalized }
        catch { errors["objector_phone"] = error == .empty ? "请填写您的联系电话，以便核查时与您联系；匿名异议不予受理。" : error.message + "。" }
        let id = Int(TextInput.halfWidth(TextInput.line(nomination ?? "")))
        if id == nil || !listed.contains(id!) { errors["nomination"] = "请选择您要反映的公示对象。" }
        let text = TextInput.block(content ?? "")
        if text.isEmpty { errors["content"] = "请写明反映的具体问题和事实依据。" }
        else if text.count > contentMaxLength { errors["content"] = "内容最多 \(contentMaxLength) 字，现有 \(text.count) 字；材料可作为附件上传。" }
        guard errors.isEmpty, let id else { return .failure(FieldErrors(errors)) }
        return .success(ObjectionInput(objectorName: name, objectorPhone: phone, nominationID: id, content: text))
    }

    /// How many objections one address may file, per hour and per day.
    public static let perAddressPerHour = 3
    public static let perAddressPerDay = 10
}

/// What the check of an objection found.
public enum ObjectionOutcome: String, CaseIterable, Sendable, Codable {
    /// 不影响表彰: not upheld, or not serious enough.
    case noEffect = "no_effect"
    /// 取消表彰资格: upheld; the nominee leaves the list.
    case disqualify

    public var label: String {
        switch self {
        case .noEffect: "不影响表彰"
        case .disqualify: "取消表彰资格"
        }
    }

    /// Reads the administrator's record: the outcome and how it was checked (`check_note`, required).
    public static func parse(outcome: String?, note: String?) -> Result<(ObjectionOutcome, String), FieldErrors> {
        var errors: [String: String] = [:]
        let chosen = outcome.flatMap(ObjectionOutcome.init(rawValue:))
        if chosen == nil { errors["outcome"] = "请选择核查结果。" }
        let text = TextInput.block(note ?? "")
        if text.isEmpty { errors["check_note"] = "请写明如何核查、核查到的情况。" }
        else if text.count > 1000 { errors["check_note"] = "核查情况最多 1000 字。" }
        guard errors.isEmpty, let chosen else { return .failure(FieldErrors(errors)) }
        return .success((chosen, text))
    }
}
