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

    /// The notice's grids, typed again from 附件2–4: each row's labels (spaces and line breaks aside) with the
    /// columns each cell spans, "v" for a value cell, "photo" for the 二寸免冠照片 cell merged down.
    static let grids: [NominationCategory: [[String]]] = {
        let head = [["姓名", "v", "性别", "v", "民族", "v", "photo"], ["出生年月", "v", "籍贯", "v", "参加工作时间", "v", "photo"],
                    ["入党时间", "v", "文化程度", "v", "职称", "v", "photo"]]
        let tail = [["工作单位及职务", "v6"], ["身份证号", "v3", "联系电话", "v2"], ["个人简历", "v6"], ["受表彰情况", "v6"],
                    ["主要事迹", "v6"], ["行业党委意见", "v6"], ["市“两新”党建联盟意见", "v6"]]
        return [
            .org: [["党组织名称", "v3"], ["所在单位", "v3"], ["党组织负责人", "v", "党员人数", "v"], ["基本情况", "v3"],
                   ["表彰情况", "v3"], ["主要事迹", "v3"], ["行业党委意见", "v3"], ["市“两新”党建联盟意见", "v3"]],
            .member: head + tail,
            .worker: head + [["党内职务", "v6"]] + tail,
        ]
    }()

    @Test("each form has the notice's grid: the same rows and labels, value cells spanning as printed, the photo merged over three rows",
          arguments: NominationCategory.allCases)
    func grid(_ category: NominationCategory) async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.form(for: category))
            let contents = try DocxReader.read(Data(buffer: try await kuaidi.get("/nominations/\(id)/form.docx").body))
            let table = try #require(contents.tables.first)
            let labels = Set(Self.grids[category]!.flatMap { $0 })
            let shape = table.map { row in
                row.map { cell -> String in
                    let text = cell.text.filter { !$0.isWhitespace }
                    if cell.verticalMerge != nil { return "photo" }
                    if labels.contains(text) { return text }
                    return cell.gridSpan == 1 ? "v" : "v\(cell.gridSpan)"
                }
            }
            #expect(shape == Self.grids[category]!)
            if category.isPerson {
                #expect(table.prefix(3).map { $0.last?.verticalMerge } == ["restart", "continue", "continue"])
                #expect(table.allSatisfy { $0.reduce(0) { $0 + $1.gridSpan } == 7 }, "every row fills the seven columns")
            }
            #expect(table.flatMap { $0 }.allSatisfy { $0.paragraphCount >= 1 }, "a paragraph in every cell")
            #expect(contents.paragraphs.contains(category.formTitle))
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
            let id = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张𠮷", id: person))
            // The alliance's 汇总表 holds what reached it: submitted, not drafts.
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "草稿人", id: Samples.idNumber(sequence: 321)))
            #expect(try await Flow.submit(kuaidi, id, app: app).status == .seeOther)
            try await app.makeUser("boss", role: .admin)
            try await app.makeUser("rev", role: .reviewer)
            let reviewer = Browser(app)
            try await reviewer.signIn("rev")
            let masked = try XlsxReader.read(Data(buffer: try await reviewer.get("/campaigns/1/summary.xlsx").body))
            #expect(masked.sheets.map(\.name).prefix(4) == ["总览", "先进基层党组织", "优秀共产党员", "优秀党务工作者"])
            let overview = try #require(masked["总览"])
            let overviewHeader = try #require(overview.rows.first { $0.contains("事迹字数") })
            let overviewRow = try #require(overview.rows.first { $0.contains("张𠮷") })
            #expect(overviewRow[overviewHeader.firstIndex(of: "事迹字数")!] == "\(CharacterCount.count(Samples.deeds))")
            #expect(overviewRow[overviewHeader.firstIndex(of: "行业党委")!] == "市快递行业党委")
            #expect(!overviewRow.contains(person) && !overviewRow.contains(IDNumber.mask(person)), "no ID number on the printed overview")
            let memberSheet = try #require(masked["优秀共产党员"])
            let header = try #require(memberSheet.rows.first { $0.contains("身份证号") })
            #expect(header.contains("姓名") && header.contains("主要事迹") && header.contains("民族"))
            let row = try #require(memberSheet.rows.first { $0.contains("张𠮷") })
            #expect(row.contains(IDNumber.mask(person)))
            #expect(!row.contains(person))
            #expect(row.contains("汉族"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.summary_full").count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.summary").count() == 1)
            #expect(!masked.sheets.contains { $0.rows.contains { $0.contains("草稿人") } }, "a committee's drafts stay its own")
            let own = try XlsxReader.read(Data(buffer: try await kuaidi.get("/campaigns/1/summary.xlsx").body))
            #expect(own["优秀共产党员"]?.rows.contains { $0.contains("草稿人") } == true, "the committee's own 汇总表 holds its drafts")
            #expect(own["优秀共产党员"]?.rows.contains { $0.contains(person) } == true, "in full: the committee prints its forms")

            let admin = Browser(app)
            try await admin.signIn("boss")
            let full = try XlsxReader.read(Data(buffer: try await admin.get("/campaigns/1/summary.xlsx?by=committee").body))
            #expect(full["优秀共产党员"]?.rows.contains { $0.contains(person) } == true, "18 digits kept exactly, as text")
            #expect(full["市快递行业党委"] != nil, "a sheet per committee on request")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.summary_full").count() == 2,
                    "the committee's and the administrator's, each on record")
        }
    }

    /// fields.md, typed again: the columns each category's sheet must have, in the printed form's order.
    static let memberHeaders = ["推荐党支部", "姓名", "性别", "民族", "出生年月", "籍贯", "参加工作时间", "入党时间", "转正时间",
                                "文化程度", "职称", "工作单位及职务", "基层和生产、工作一线", "身份证号", "联系电话", "个人简历",
                                "受表彰情况", "主要事迹", "近三年无违纪违法行为", "近三年按规定缴纳党费",
                                "近三年无连续3个月不参加组织生活的情况", "在单位起到先锋模范作用", "二寸免冠照片", "行业党委意见",
                                "行业党委书记签字", "行业党委意见日期", "市“两新”党建联盟意见", "联盟意见日期"]
    static let orgHeaders = ["党组织名称", "所在单位", "党组织负责人", "党员人数", "基本情况", "表彰情况", "主要事迹", "行业党委意见",
                             "行业党委书记签字", "行业党委意见日期", "市“两新”党建联盟意见", "联盟意见日期"]

    @Test("汇总表 columns: every field of fields.md on the category sheets, attestations and photo included; a committee's sheet is its printable overview")
    func everyFieldAColumn() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let member = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李𬌗"))
            _ = try await kuaidi.upload("/nominations/\(member)/photo", field: "photo", filename: "p.png",
                                        data: Samples.png(), contentType: "image/png")
            try await Flow.uploadScan(kuaidi, member, app: app)
            let submitted = try await kuaidi.post("/nominations/\(member)/submit",
                                                  NominationTests.submitForm(version: try await NominationTests.version(member, app)))
            #expect(submitted.status == .seeOther)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "王未确认", id: Samples.idNumber(sequence: 135),
                                                                           overrides: ["dues_paid_3y": ""]))
            _ = try await NominationTests.create(kuaidi, Samples.form(for: .org))
            // The committee's own 汇总表: its drafts too.
            let book = try XlsxReader.read(Data(buffer: try await kuaidi.get("/campaigns/1/summary.xlsx?by=committee").body))

            let members = try #require(book["优秀共产党员"])
            let header = try #require(members.rows.first { $0.contains("身份证号") })
            #expect(Array(header.prefix(3)) == ["序号", "行业党委", "状态"])
            #expect(Array(header.dropFirst(3)) == Self.memberHeaders)
            let workers = try #require(book["优秀党务工作者"]?.rows.first { $0.contains("身份证号") })
            #expect(workers.contains("党内职务") && workers.contains("从事党务工作时间"))
            let orgs = try #require(book["先进基层党组织"]?.rows.first { $0.contains("党组织名称") })
            #expect(Array(orgs.dropFirst(3)) == Self.orgHeaders)

            func cell(_ row: [String], _ label: String, in header: [String]) -> String? {
                header.firstIndex(of: label).flatMap { $0 < row.count ? row[$0] : "" }
            }
            let signed = try #require(members.rows.first { $0.contains("李𬌗") })
            #expect(cell(signed, "近三年按规定缴纳党费", in: header) == "已确认")
            #expect(cell(signed, "二寸免冠照片", in: header) == "有")
            #expect(cell(signed, "行业党委意见", in: header) == "同意推荐。")
            #expect(cell(signed, "行业党委书记签字", in: header) == "王书记")
            #expect(cell(signed, "行业党委意见日期", in: header) == "2024-05-20")
            #expect(cell(signed, "状态", in: header) == NominationState.submitted.label)
            let unsigned = try #require(members.rows.first { $0.contains("王未确认") })
            #expect(cell(unsigned, "近三年按规定缴纳党费", in: header) == "未确认")
            #expect(cell(unsigned, "近三年无违纪违法行为", in: header) == "已确认")
            #expect(cell(unsigned, "二寸免冠照片", in: header) == "无")

            // A committee's sheet is its overview: one line per nomination of any category, printable.
            let committee = try #require(book["市快递行业党委"])
            let overview = try #require(committee.rows.first { $0.contains("事迹字数") })
            #expect(overview == ["序号", "类别", "姓名（党组织名称）", "性别", "民族", "出生年月", "文化程度",
                                 "工作单位及职务（所在单位）", "一线", "事迹字数", "照片", "状态"])
            let org = try #require(committee.rows.first { $0.contains("顺丰速运鄂尔多斯分公司党支部") })
            #expect(cell(org, "类别", in: overview) == "先进基层党组织")
            #expect(cell(org, "工作单位及职务（所在单位）", in: overview) == "顺丰速运鄂尔多斯分公司")
            #expect(cell(org, "性别", in: overview) == "", "a person's column stays empty on an organisation's row")
            let person = try #require(committee.rows.first { $0.contains("李𬌗") })
            #expect(cell(person, "事迹字数", in: overview) == "\(CharacterCount.count(Samples.deeds))")
            #expect(cell(person, "照片", in: overview) == "有")
            #expect(cell(person, "一线", in: overview) == "是")
            #expect(!person.contains(Samples.idNumber()), "no ID numbers on the printable sheets")
            #expect(committee.rows.filter { $0.contains("先进基层党组织") || $0.contains("优秀共产党员") }.count == 3)
        }
    }
}

@Suite("Rare and control characters in every field")
struct EveryFieldCharacterTests {
    @Test("each text field of each form keeps 𠮷 𬌗 and emoji, drops control characters from Word, and reads the same on the page, in Word and in the 汇总表",
          arguments: NominationCategory.allCases)
    func everyField(_ category: NominationCategory) async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            var form = Dictionary(uniqueKeysWithValues: Samples.form(for: category))
            var expected: [String: String] = [:]
            for spec in NominationForm.fields(for: category) where !["id_number", "phone"].contains(spec.key) {
                let typed: String
                switch spec.kind {
                case .text: typed = "甲𠮷\u{07}𬌗\u{0B}😀乙"
                case .block: typed = (form[spec.key] ?? "") + "\n甲𠮷\u{01}𬌗\u{0C}😀乙"
                case .deeds: typed = Samples.deeds + "甲𠮷\u{1F}𬌗\u{08}😀乙"
                default: continue
                }
                form[spec.key] = typed
                expected[spec.key] = typed.filter { !($0.unicodeScalars.first!.properties.generalCategory == .control && $0 != "\n") }
            }
            #expect(expected.count == [NominationCategory.member: 8, .worker: 9, .org: 6][category], "every text field is covered")
            let id = try await NominationTests.create(kuaidi, form.sorted { $0.key < $1.key })
            let stored = try #require(try await Nomination.find(id, on: app.db))
            for (key, value) in expected {
                #expect(stored.values[key] == value, "\(category) \(key)")
            }
            let page = try await kuaidi.get("/nominations/\(id)").body.string
            let word = try DocxReader.read(Data(buffer: try await kuaidi.get("/nominations/\(id)/form.docx").body))
            let wordText = (word.paragraphs + word.tables.flatMap { $0.flatMap { $0.map(\.text) } }).joined(separator: "\n")
            let summary = try XlsxReader.read(Data(buffer: try await kuaidi.get("/campaigns/1/summary.xlsx").body))
            let cells = try #require(summary[category.label]).rows.flatMap { $0 }
            for (key, value) in expected {
                let lastLine = String(value.split(separator: "\n").last ?? "")
                #expect(page.contains(lastLine), "page \(category) \(key)")
                #expect(wordText.contains(lastLine), "Word \(category) \(key)")
                #expect(cells.contains { $0.contains(lastLine) }, "汇总表 \(category) \(key)")
            }
            #expect(!page.contains("\u{07}") && !wordText.contains("\u{0B}"))
        }
    }
}

@Suite("Forms as PDF")
struct FormPDFTests {
    @Test("each form as PDF through LibreOffice shows its title, labels and data", .enabled(if: PDFConverter().available),
          arguments: NominationCategory.allCases)
    func formPDF(_ category: NominationCategory) async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let person = Samples.idNumber(sequence: 301)
            let id = try await NominationTests.create(kuaidi, Samples.form(for: category, id: person))
            let response = try await kuaidi.get("/nominations/\(id)/form.pdf")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "application/pdf")
            let text = try #require(try PDFText.extract(Data(buffer: response.body)), "pdftotext is installed with LibreOffice here")
            let compact = text.filter { !$0.isWhitespace }
            let expected: [String] = switch category {
            case .org: ["党组织名称", "顺丰速运鄂尔多斯分公司党支部", "党员人数", "12", "主要事迹", "行业党委意见"]
            // 姓　名 is spaced out across its cell, so pdftotext may not keep it in one piece; 从事党务工作时间 is
            // collected for the rules but not printed on 附件4.
            case .member: ["张伟", "身份证号", person, "联系电话", "18647176667", "个人简历", "主要事迹", "行业党委意见"]
            case .worker: ["张伟", "党内职务", "支部书记", "身份证号", person, "主要事迹", "行业党委意见"]
            }
            for item in [category.formTitle] + expected {
                #expect(compact.contains(item), "\(category): PDF lacks \(item)")
            }
        }
    }
}

@Suite("Without LibreOffice")
struct NoLibreOfficeTests {
    @Test("the nomination page says PDF is unavailable, form.pdf answers with a Chinese 503 page, and Word still works")
    func noConverter() async throws {
        try await withHonorsApp { app, _ in
            app.pdf = PDFConverterPool(converter: PDFConverter(executable: nil))
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let page = try await kuaidi.get("/nominations/\(id)").body.string
            #expect(page.contains("暂不能生成 PDF") && !page.contains("/nominations/\(id)/form.pdf"))
            let pdf = try await kuaidi.get("/nominations/\(id)/form.pdf")
            #expect(pdf.status == .serviceUnavailable && pdf.body.string.contains("PDF 暂不可用"))
            #expect(try await kuaidi.get("/nominations/\(id)/form.docx").status == .ok)
            #expect(!(try await kuaidi.get("/campaigns/1/packages").body.string.contains("同时生成 PDF")))
        }
    }
}
