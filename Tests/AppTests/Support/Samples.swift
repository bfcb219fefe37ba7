import Foundation
import HonorsCore

/// Valid sample data for nomination tests.
enum Samples {
    /// A valid ID number born on `birth` (YYYYMMDD), odd sequence = 男, in Ordos (150602).
    static func idNumber(birth: String = "19850315", sequence: Int = 123) -> String {
        let first17 = "150602" + birth + String(format: "%03d", sequence)
        return first17 + String(IDNumber.checkCharacter(first17)!)
    }

    /// A valid ID number with a wrong check character.
    static func wrongCheckDigit(_ valid: String) -> String {
        let last = valid.last!
        return String(valid.dropLast()) + (last == "1" ? "2" : "1")
    }

    /// The committee's block of the form, signed on the test clock's day.
    static let opinion = ["committee_opinion": "同意推荐。", "committee_signer": "王书记", "committee_opinion_date": "2024-05-20"]

    static let deeds = String(repeating: "该同志扎根快递一线，带头攻坚克难。", count: 59)  // 1003 字

    /// Every field of a complete 优秀共产党员 form, as a browser would post it.
    static func memberForm(name: String = "张伟", id: String = idNumber(), overrides: [String: String] = [:]) -> [(String, String)] {
        var fields: [String: String] = [
            "category": "member", "recommending_branch": "市快递行业第一党支部", "name": name, "gender": "男",
            "ethnicity": "01", "birth_month": "", "native_place": "内蒙古鄂尔多斯", "work_start_month": "2006-07",
            "party_join_date": "2008-06", "full_member_date": "2009-06", "education": "21",
            "professional_title": "", "unit_and_position": "顺丰速运鄂尔多斯分公司 站长", "frontline": "yes",
            "id_number": id, "phone": "18647176667", "resume": "2006.07—今 顺丰速运鄂尔多斯分公司 站长",
            "honors_received": "无", "deeds": deeds,
            "no_violation_3y": "1", "dues_paid_3y": "1", "org_life_3y": "1", "vanguard_3y": "1",
        ].merging(opinion) { $1 }
        for (k, v) in overrides { fields[k] = v }
        return fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A complete form of any category: the member's, with the worker's two extra fields, or an organisation's.
    static func form(for category: NominationCategory, id: String = idNumber()) -> [(String, String)] {
        switch category {
        case .member: return memberForm(id: id)
        case .worker: return memberForm(id: id, overrides: ["category": "worker", "party_post": "支部书记", "party_work_since": "2012-01"])
        case .org: return [("category", "org"), ("org_name", "顺丰速运鄂尔多斯分公司党支部"), ("org_unit", "顺丰速运鄂尔多斯分公司"),
                           ("org_leader", "李明"), ("member_count", "12"), ("basic_info", "支部现有党员12名。"),
                           ("honors_received", "无"), ("deeds", deeds)] + opinion.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    static func png(width: Int = 350, height: Int = 490) -> Data {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        var b: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        b += Array("IHDR".utf8) + be32(width) + be32(height) + [8, 2, 0, 0, 0] + [0, 0, 0, 0]
        return Data(b)
    }

    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".utf8)

    /// A well-formed PDF of blank A4 pages that poppler reads: `catalog` and `trailer` add entries to those
    /// dictionaries, `objects` come after the pages (numbered from pages + 3).
    static func pdfDocument(pages: Int = 1, catalog: String = "", trailer: String = "", objects: [String] = []) -> Data {
        let kids = (0..<pages).map { "\($0 + 3) 0 R" }.joined(separator: " ")
        let bodies = ["<< /Type /Catalog /Pages 2 0 R \(catalog)>>", "<< /Type /Pages /Kids [\(kids)] /Count \(pages) >>"]
            + Array(repeating: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", count: pages) + objects
        var out = "%PDF-1.5\n"
        var offsets: [Int] = []
        for (index, body) in bodies.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(bodies.count + 1) /Root 1 0 R \(trailer)>>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
