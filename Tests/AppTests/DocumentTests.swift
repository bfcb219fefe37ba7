@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

@Suite("Word documents")
struct DocumentTests {
    @Test("the 优秀共产党员 form opens again with the notice's labels, the data in its cells and the photo merged over three rows")
    func memberForm() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let person = Samples.idNumber()
            let id = try await NominationTests.create(kuaidi, Samples.memberForm(name: "阿卜杜热合曼·𠮷", id: person, overrides: [
                "native_place": "内蒙古\u{0B}𬌗<村>&"]))
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png",
                                        data: Samples.png(), contentType: "image/png")
            let response = try await kuaidi.get("/nominations/\(id)/form.docx")
            #expect(response.status == .ok)
            let disposition = response.headers.first(name: .contentDisposition) ?? ""
            #expect(disposition.contains("filename*=UTF-8''"))
            let contents = try DocxReader.read(Data(buffer: response.body))
            let cells = contents.tables.flatMap { $0.flatMap { $0.map(\.text) } }
            let footer = String(decoding: contents.package["word/footer1.xml"] ?? Data(), as: UTF8.self)
            let text = (contents.paragraphs + cells).joined(separator: "\n")
            for expected in ["优秀共产党员推荐和审批表", "推荐党支部：市快递行业第一党支部", "阿卜杜热合曼·𠮷", person, "18647176667",
                             "内蒙古𬌗<村>&", "行业党委书记签字：", "（盖章）", "个\n人\n简\n历"] {
                #expect(text.contains(expected), "\(expected)")
            }
            #expect(footer.contains("推荐编号 \(id)") && footer.contains("数据指纹"))
            #expect(text.contains(Samples.deeds), "主要事迹 in full")
            let table = try #require(contents.tables.first)
            // First row: 姓名 … 民族, value, and the photo cell that restarts a vertical merge.
            #expect(table[0].map(\.text).prefix(6) == ["姓　名", "阿卜杜热合曼·𠮷", "性　别", "男", "民　族", "汉族"])
            #expect(table[0].last?.verticalMerge == "restart")
            #expect(table[1].last?.verticalMerge == "continue")
            #expect(table[2].last?.verticalMerge == "continue")
            #expect(table.flatMap { $0 }.allSatisfy { $0.paragraphCount >= 1 })
            #expect(contents.partPaths.contains { $0.hasPrefix("word/media/") }, "the photo is inside the file")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.form").count() == 1)
            if PDFConverter().available {
                let pdf = try await PDFConverter().convert(Data(buffer: response.body), fileExtension: "docx")
                #expect(pdf.starts(with: Data("%PDF".utf8)))
            }
        }
    }

    @Test("附件1 as Word: six committees, guiding numbers and the totals 9 / 6 / 9")
    func quotaTable() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            let response = try await admin.get("/campaigns/1/quotas.docx")
            #expect(response.status == .ok)
            let contents = try DocxReader.read(Data(buffer: response.body))
            let rows = try #require(contents.tables.first)
            #expect(rows.count == 9)
            #expect(rows[0].dropFirst(2).map(\.text) == ["先进基层党组织", "优秀党务工作者", "优秀共产党员"])
            #expect(rows[0].dropFirst(2).allSatisfy { $0.gridSpan == 3 })
            #expect(rows[1].first?.verticalMerge == "continue")
            #expect(rows[2].map(\.text) == ["1", "市个体私营经济组织党委", "2", "0", "0", "1", "0", "0", "2", "0", "0"])
            #expect(rows[8].first?.text == "合计")
            #expect(rows[8].first?.gridSpan == 2)
            // Guiding, granted, used for each category: 9 / 6 / 9 guiding in all.
            #expect(rows[8].dropFirst().map(\.text) == ["9", "0", "0", "6", "0", "0", "9", "0", "0"])
        }
    }
}

@Suite("Excel summary")
struct SummaryTests {
    @Test("汇总表: a sheet per category with Chinese headers; ID numbers as text, masked for the reviewer, full for the admin on record")
    func summary() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let person = Samples.idNumber()
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张𠮷", id: person))
            try await app.makeUser("boss", role: .admin)
            try await app.makeUser("rev", role: .reviewer)
            let reviewer = Browser(app)
            try await reviewer.signIn("rev")
            let masked = try XlsxReader.read(Data(buffer: try await reviewer.get("/campaigns/1/summary.xlsx").body))
            #expect(masked.sheets.map(\.name).prefix(3) == ["先进基层党组织", "优秀共产党员", "优秀党务工作者"])
            let memberSheet = try #require(masked["优秀共产党员"])
            let header = try #require(memberSheet.rows.first { $0.contains("身份证号") })
            #expect(header.contains("姓名") && header.contains("主要事迹") && header.contains("民族"))
            let row = try #require(memberSheet.rows.first { $0.contains("张𠮷") })
            #expect(row.contains(IDNumber.mask(person)))
            #expect(!row.contains(person))
            #expect(row.contains("汉族"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.summary_full").count() == 0)

            let admin = Browser(app)
            try await admin.signIn("boss")
            let full = try XlsxReader.read(Data(buffer: try await admin.get("/campaigns/1/summary.xlsx?by=committee").body))
            #expect(full["优秀共产党员"]?.rows.contains { $0.contains(person) } == true, "18 digits kept exactly, as text")
            #expect(full["市快递行业党委"] != nil, "a sheet per committee on request")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.summary_full").count() == 1)
        }
    }
}
