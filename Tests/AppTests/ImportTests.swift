@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

@Suite("Excel import")
struct ImportTests {
    /// The template as a committee downloads it.
    static func template(_ browser: Browser) async throws -> XlsxContents {
        let response = try await browser.get("/import/template.xlsx")
        #expect(response.status == .ok)
        return try XlsxReader.read(Data(buffer: response.body))
    }

    /// The downloaded template filled in: its own two header rows on each sheet, then `rows` by key.
    static func filled(_ template: XlsxContents, people: [[String: String]], orgs: [[String: String]] = []) throws -> Data {
        var workbook = XlsxWorkbook()
        for (name, rows) in [(ImportLayout.people.name, people), (ImportLayout.organisations.name, orgs)] {
            let sheet = try #require(template[name])
            let labels = sheet.rows[0], keys = sheet.rows[1]
            workbook.add(XlsxSheet(name: name, columns: labels.map { XlsxColumn($0) },
                                   rows: rows.map { row in keys.map { .text(row[$0] ?? "") } }, subheader: keys))
        }
        return try workbook.xlsxData()
    }

    static func person(_ name: String, id: String, category: String = "优秀共产党员", overrides: [String: String] = [:]) -> [String: String] {
        var row: [String: String] = [
            "category": category, "recommending_branch": "市快递行业第一党支部", "name": name, "gender": "男",
            "ethnicity": "汉族", "native_place": "内蒙古鄂尔多斯", "work_start_month": "2006-07",
            "party_join_date": "2008-06", "full_member_date": "2009-06", "education": "大学本科毕业",
            "unit_and_position": "顺丰速运鄂尔多斯分公司 站长", "frontline": "是", "id_number": id, "phone": "18647176667",
            "resume": "2006.07—今 顺丰速运鄂尔多斯分公司 站长", "honors_received": "无", "deeds": Samples.deeds,
            "no_violation_3y": "是", "dues_paid_3y": "是", "org_life_3y": "是", "vanguard_3y": "是",
        ]
        for (key, value) in overrides { row[key] = value }
        return row
    }

    static let organisation: [String: String] = [
        "org_name": "顺丰速运鄂尔多斯分公司党支部", "org_unit": "顺丰速运鄂尔多斯分公司", "org_leader": "李明",
        "member_count": "12", "basic_info": "支部现有党员12名。", "honors_received": "无", "deeds": Samples.deeds,
    ]

    static func upload(_ browser: Browser, _ data: Data, filename: String = "推荐名单.xlsx") async throws -> TestingHTTPResponse {
        try await browser.upload("/import", field: "file", filename: filename, data: data, contentType: Download.xlsx)
    }

    @Test("the template: a sheet for people and one for organisations, labels in row 1, keys in row 2, dropdowns from a hidden code sheet")
    func templateShape() async throws {
        try await withHonorsApp { app, _ in
            try await app.makeUser("reviewer", role: .reviewer)
            let reviewer = Browser(app)
            try await reviewer.signIn("reviewer")
            let template = try await Self.template(reviewer)
            let people = try #require(template[ImportLayout.people.name])
            #expect(people.rows[0].prefix(3) == ["推荐类别 *", "推荐党支部 *", "姓名 *"])
            #expect(people.rows[1] == ImportLayout.people.columns.map(\.key))
            #expect(people.rows[0].contains("党内职务 *（仅优秀党务工作者）"))
            let orgs = try #require(template[ImportLayout.organisations.name])
            #expect(orgs.rows[1] == ["org_name", "org_unit", "org_leader", "member_count", "basic_info", "honors_received", "deeds"])
            let codes = try #require(template[ImportLayout.codeSheetName])
            #expect(codes.isHidden)
            let column = { (key: String) in codes.rows.dropFirst().compactMap { row in
                row.indices.contains(codes.rows[0].firstIndex(of: key)!) ? row[codes.rows[0].firstIndex(of: key)!] : nil
            }.filter { !$0.isEmpty } }
            #expect(column("ethnicity").count == 56 + (Ethnicity.all.count - 56))
            #expect(column("ethnicity").contains("蒙古族") && column("education").contains("大学本科毕业"))
            #expect(column("gender") == ["男", "女"] && column("category") == ["优秀共产党员", "优秀党务工作者"])
            let xml = try #require(template.sheetXML(ImportLayout.people.name))
            for key in ["category", "gender", "ethnicity", "education"] {
                let letter = XlsxReference.columnName(ImportLayout.people.columns.firstIndex { $0.key == key }!)
                #expect(xml.contains(#"sqref="\#(letter)3:\#(letter)1002""#), "\(key) has a dropdown")
            }
            #expect(xml.contains("&apos;代码表&apos;!$C$2:$C$"), "民族 from the code sheet")
            #expect(xml.contains(#"ySplit="2""#), "both header rows stay in view")
        }
    }

    @Test("valid rows become drafts, a wrong row stores nothing and is reported by row and column; the same file again creates nothing")
    func importAndReimport() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let template = try await Self.template(kuaidi)
            let good = Samples.idNumber(sequence: 111)
            let bad = Self.person("王错", id: Samples.wrongCheckDigit(Samples.idNumber(sequence: 222)),
                                  overrides: ["full_member_date": "2007-01", "ethnicity": "火星族"])
            let worker = Self.person("刘红", id: Samples.idNumber(birth: "19900101", sequence: 332), category: "优秀党务工作者",
                                     overrides: ["party_post": "支部书记", "party_work_since": "2015-01", "gender": "女"])
            let file = try Self.filled(template, people: [Self.person("张伟", id: good), bad, worker], orgs: [Self.organisation])

            let response = try await Self.upload(kuaidi, file)
            #expect(response.status == .ok)
            let page = response.body.string
            #expect(page.contains("导入为草稿 3 行") && page.contains("有错误未导入 1 行"), "\(page)")
            let badRow = try #require(page.components(separatedBy: #"data-row="4""#).dropFirst().first)
            let idColumn = XlsxReference.columnName(ImportLayout.people.columns.firstIndex { $0.key == "id_number" }!)
            #expect(badRow.contains("\(idColumn)列 身份证号") && badRow.contains("校验位不符"))
            #expect(badRow.contains("转正时间") && badRow.contains("火星族"))
            #expect(badRow.contains("有错误，未导入"))

            let stored = try await Nomination.query(on: app.db).sort(\.$id).all()
            #expect(stored.map(\.displayName) == ["张伟", "刘红", "顺丰速运鄂尔多斯分公司党支部"])
            #expect(stored.allSatisfy { $0.stateValue == .draft && $0.$committee.id == stored[0].$committee.id })
            #expect(stored[0].values["ethnicity"] == "01" && stored[0].values["education"] == "21", "names became codes")
            #expect(stored[0].values["birth_month"] == "1985-03", "filled from the ID number as in the form")
            #expect(stored[0].attestationRecords.count == 4)
            #expect(stored[1].categoryValue == .worker && stored[1].values["party_post"] == "支部书记")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.import").count() == 1)

            let again = try await Self.upload(kuaidi, file)
            #expect(again.body.string.contains("已存在未重复导入 3 行"))
            #expect(again.body.string.contains("导入为草稿 0 行"))
            #expect(try await Nomination.query(on: app.db).count() == 3, "importing the same file twice creates no duplicates")
        }
    }

    @Test("the same person twice in a file, or already nominated by another committee, is refused without naming it")
    func duplicates() async throws {
        try await withHonorsApp { app, _ in
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let taken = Samples.idNumber(sequence: 515)
            _ = try await NominationTests.create(wuye, Samples.memberForm(name: "赵敏", id: taken))
            let twice = Samples.idNumber(sequence: 777)
            let template = try await Self.template(kuaidi)
            let file = try Self.filled(template, people: [
                Self.person("赵敏", id: taken, category: "优秀党务工作者", overrides: ["party_post": "书记", "party_work_since": "2015-01"]),
                Self.person("孙丽", id: twice), Self.person("孙丽", id: "  " + twice.lowercased() + " "),
            ])
            let page = try await Self.upload(kuaidi, file).body.string
            #expect(page.contains("其他行业党委推荐为优秀共产党员") && !page.contains("市物业行业党委"))
            #expect(page.contains("与第4行的身份证号相同"))
            #expect(try await Nomination.query(on: app.db).count() == 2)
        }
    }

    @Test("files that are not a filled template are refused with a message and store nothing", arguments: [
        ("old.xlsx", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 512)), "另存为"),
        ("photo.xlsx", Samples.png(), "不是有效的 Excel"),
        ("empty.xlsx", Data(), "请选择要导入的 Excel 文件"),
        ("report.xlsx", try! XlsxWorkbook(sheets: [XlsxSheet(name: "统计", columns: [XlsxColumn("姓名")], rows: [["张伟"]])]).xlsxData(),
         "没有找到导入模板的表头"),
        ("bomb.xlsx", try! ImportTests.bomb(), "解压后超过"),
        ("letter.xlsx", try! DocxDocument(body: [.paragraph(DocxParagraph("推荐名单"))]).docxData(), "不是有效的 Excel"),
    ])
    func badFiles(_ filename: String, _ data: Data, _ message: String) async throws {
        try await Self.expectRefused(filename, data, message)
    }

    /// The upload is refused with `message` on the page, and nothing is imported.
    static func expectRefused(_ filename: String, _ data: Data, _ message: String) async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let response = try await Self.upload(kuaidi, data, filename: filename)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains(message), "\(filename): \(response.body.string.matches(of: #/“[^”]*”[^<]*/#).map { String($0.output) })")
            #expect(try await Nomination.query(on: app.db).count() == 0)
        }
    }

    /// A workbook of `sheets` sheets named after the template's, whose first sheet holds `rows`.
    static func shaped(sheets: Int = 2, rows: [[XlsxCell]] = [], sheetXML: String? = nil) throws -> Data {
        var workbook = XlsxWorkbook()
        for index in 0..<sheets {
            workbook.add(XlsxSheet(name: index == 0 ? ImportLayout.people.name : "表\(index)", columns: [XlsxColumn("name")],
                                   rows: index == 0 ? rows : []))
        }
        var package = try ZipPackage.read(try workbook.xlsxData())
        if let sheetXML {
            package.add("xl/worksheets/sheet1.xml", Data((#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                + sheetXML + "</sheetData></worksheet>").utf8))
        }
        return try package.archived()
    }

    @Test("a workbook past a reading limit is refused at once, the message naming the limit, and stores nothing", arguments: [
        ("sheets.xlsx", try! ImportTests.shaped(sheets: 17), "有超过 16 个工作表"),
        ("rows.xlsx", try! ImportTests.shaped(rows: (1...502).map { [.text("张\($0)")] }), "超过 500 行推荐数据（从第 3 行起），读到第 503 行时已停止"),
        ("long.xlsx", try! ImportTests.shaped(sheetXML: #"<row r="3"><c t="inlineStr"><is><t>"# + String(repeating: "事", count: 32_768) + "</t></is></c></row>"),
         "工作表“优秀共产党员和优秀党务工作者”中有单元格超过 32767 个字符"),
        ("wide.xlsx", try! ImportTests.shaped(sheetXML: (1...7).map { #"<row r="\#($0)"><c r="XFD\#($0)" t="inlineStr"><is><t>x</t></is></c></row>"# }.joined()),
         "的单元格超过 100000 个"),
        ("deep.xlsx", try! ImportTests.shaped(sheetXML: #"<row r="1"><c>"# + String(repeating: "<x>", count: 40) + String(repeating: "</x>", count: 40) + "</c></row>"),
         "嵌套超过 32 层"),
    ])
    func overLimits(_ filename: String, _ data: Data, _ message: String) async throws {
        try await Self.expectRefused(filename, data, message)
    }

    @Test("an upload over 10 MB is refused before it is read, with the Chinese page, and stores nothing")
    func oversized() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let response = try await Self.upload(kuaidi, Data(repeating: 0x50, count: ImportController.maximumUpload + 1))
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string.contains("提交内容过大"))
            #expect(try await Nomination.query(on: app.db).count() == 0)
        }
    }

    /// A small zip whose one entry unpacks to far more than an import may.
    static func bomb() throws -> Data {
        var package = ZipPackage()
        package.add("xl/worksheets/sheet1.xml", Data(repeating: 0x20, count: ImportController.maximumUnpacked + 1))
        return try package.archived()
    }

    @Test("rare characters survive and control characters pasted from Word are dropped in every text column")
    func rareCharacters() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let template = try await Self.template(kuaidi)
            let person = Self.person("𠮷𬌗\u{0B}·阿卜杜", id: Samples.idNumber(sequence: 901), overrides: [
                "native_place": "内蒙古\u{07}𬌗", "unit_and_position": "快递🚚站\u{0C} 站长",
                "deeds": Samples.deeds + "\u{01}👍",
            ])
            var org = Self.organisation
            org["org_name"] = "𠮷\u{1F}党支部"
            _ = try await Self.upload(kuaidi, try Self.filled(template, people: [person], orgs: [org]))
            let stored = try await Nomination.query(on: app.db).sort(\.$id).all()
            #expect(stored.map(\.displayName) == ["𠮷𬌗·阿卜杜", "𠮷党支部"])
            #expect(stored[0].values["native_place"] == "内蒙古𬌗")
            #expect(stored[0].values["unit_and_position"] == "快递🚚站 站长")
            #expect(stored[0].values["deeds"]?.hasSuffix("👍") == true)
        }
    }

    @Test("after the deadline the import page says so and an upload is refused")
    func closed() async throws {
        try await withHonorsApp(at: Date(timeIntervalSince1970: 1_717_200_000)) { app, _ in  // 2024-06-01
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            #expect(try await kuaidi.get("/import").body.string.contains("当前没有正在接受推荐的活动"))
            let template = try await Self.template(kuaidi)
            let response = try await Self.upload(kuaidi, try Self.filled(template, people: [Self.person("张伟", id: Samples.idNumber())]))
            #expect(response.status == .forbidden)
            #expect(try await Nomination.query(on: app.db).count() == 0)
        }
    }
}
