import Foundation

/// 荣誉证书编号: `YEAR-CODE-NNN`, e.g. `2024-YXDY-001`. The year is the decision's (a 2023年度 honour is
/// awarded in 2024, as its document number 〔2024〕 says); the code is the
/// honour's initials in pinyin; the sequence counts from 001 within year and honour, in the decision's order
/// (committee, then the committee's own order), so the numbers printed on paper follow the decision's list.
public struct CertificateNumber: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let category: NominationCategory
    public let sequence: Int

    public init(year: Int, category: NominationCategory, sequence: Int) {
        self.year = year
        self.category = category
        self.sequence = sequence
    }

    /// 先进基层党组织 XJJC, 优秀共产党员 YXDY, 优秀党务工作者 YXDW.
    public static func code(_ category: NominationCategory) -> String {
        switch category {
        case .org: "XJJC"
        case .member: "YXDY"
        case .worker: "YXDW"
        }
    }

    public var description: String { "\(year.zeroPadded(4))-\(Self.code(category))-\(sequence.zeroPadded(3))" }

    /// Reads a number as typed (spaces, lower case, full-width digits); nil when it cannot be one.
    public init?(_ typed: String) {
        let text = TextInput.halfWidth(TextInput.line(typed)).uppercased().filter { !$0.isWhitespace }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
              let category = NominationCategory.allCases.first(where: { Self.code($0) == parts[1] }),
              (3...5).contains(parts[2].count), parts[2].allSatisfy(\.isASCII), let sequence = Int(parts[2]), sequence > 0
        else { return nil }
        self.init(year: year, category: category, sequence: sequence)
    }
}

/// What the administrator sets for the 表彰决定: the document number, title, preamble, issuing body and
/// date. Fields `decision_number`, `decision_title`, `decision_preamble`, `issuing_body`, `issued_on`.
public struct DecisionText: Sendable, Equatable {
    public var number: String
    public var title: String
    public var preamble: String
    public var issuingBody: String
    public var issuedOn: DayStamp

    public init(number: String, title: String, preamble: String, issuingBody: String, issuedOn: DayStamp) {
        self.number = number
        self.title = title
        self.preamble = preamble
        self.issuingBody = issuingBody
        self.issuedOn = issuedOn
    }

    /// The customary defaults for the honours of `awardYear` decided `today`: the next document number after
    /// the campaign's notice, the title, the preamble for the party's anniversary in the decision's year.
    public static func proposed(awardYear: Int, documentNumber: String, issuingBody: String, today: DayStamp) -> DecisionText {
        DecisionText(number: nextNumber(after: documentNumber, year: today.year),
                     title: "关于表彰\(awardYear)年度“两优一先”的决定",
                     preamble: "为庆祝中国共产党成立\(today.year - 1921)周年，表彰先进、树立典型，经各行业党委推荐、联盟审核、征求纪检意见并公示，决定授予以下党组织“先进基层党组织”称号，授予以下同志“优秀共产党员”“优秀党务工作者”称号。希望受表彰的先进集体和个人珍惜荣誉、再接再厉，为推动“两新”组织高质量发展作出新的更大贡献。",
                     issuingBody: issuingBody, issuedOn: today)
    }

    /// `鄂党联发〔2024〕4号` → `鄂党联发〔2024〕5号`; a number without a trailing count gets `〔year〕1号`.
    public static func nextNumber(after number: String, year: Int) -> String {
        let scalars = Array(number)
        guard let hao = scalars.lastIndex(of: "号") else { return number.isEmpty ? "〔\(year)〕1号" : number + "〔\(year)〕1号" }
        var start = hao
        while start > 0, scalars[start - 1].isASCII, scalars[start - 1].isNumber { start -= 1 }
        guard start < hao, let n = Int(String(scalars[start..<hao])) else { return number }
        return String(scalars[..<start]) + "\(n + 1)" + String(scalars[hao...])
    }

    public static func parse(number: String?, title: String?, preamble: String?, issuingBody: String?, issuedOn: String?) -> Result<DecisionText, FieldErrors> {
        var errors: [String: String] = [:]
        let number = TextInput.line(number ?? ""), title = TextInput.line(title ?? "")
        let preamble = TextInput.block(preamble ?? ""), body = TextInput.line(issuingBody ?? "")
        if number.isEmpty { errors["decision_number"] = "请填写文号，如 鄂党联发〔2024〕5号。" }
        else if number.count > 50 { errors["decision_number"] = "文号最多 50 字。" }
        if title.isEmpty { errors["decision_title"] = "请填写标题。" } else if title.count > 100 { errors["decision_title"] = "标题最多 100 字。" }
        if preamble.isEmpty { errors["decision_preamble"] = "请填写决定的正文（名单之前的部分）。" }
        else if preamble.count > 3000 { errors["decision_preamble"] = "正文最多 3000 字。" }
        if body.isEmpty { errors["issuing_body"] = "请填写发文单位。" } else if body.count > 100 { errors["issuing_body"] = "发文单位最多 100 字。" }
        let day = DayStamp(TextInput.halfWidth(TextInput.line(issuedOn ?? "")))
        if day == nil { errors["issued_on"] = "请按 YYYY-MM-DD 填写成文日期。" }
        guard errors.isEmpty, let day else { return .failure(FieldErrors(errors)) }
        return .success(DecisionText(number: number, title: title, preamble: preamble, issuingBody: body, issuedOn: day))
    }
}
