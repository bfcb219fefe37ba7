import HonorsCore
import Testing

@Suite("Excel import: reading rows")
struct ImportReaderTests {
    static let people = ImportLayout.people
    static let keys = people.columns.map(\.key)

    /// A people sheet as the template lays it out: labels, keys, then `rows` given by key.
    static func sheet(_ rows: [[String: String]], keys: [String] = keys, name: String = people.name) -> ImportSheet {
        let labels = keys.map { NominationForm.label(of: $0) }
        return ImportSheet(name: name, isHidden: false,
                           rows: [labels, keys] + rows.map { row in keys.map { row[$0] ?? "" } })
    }

    static let member: [String: String] = [
        "category": "优秀共产党员", "name": "张伟", "ethnicity": "汉族", "education": "大学本科毕业",
        "birth_month": "1985-03", "id_number": "150602198503151234", "no_violation_3y": "是", "dues_paid_3y": "是",
        "org_life_3y": "否", "vanguard_3y": "",
    ]

    @Test("columns are found by their key in row 2, whatever their order or label; blank rows are skipped")
    func columnsByKey() throws {
        var keys = Self.keys.reversed() as [String]
        keys.insert("备注", at: 3)
        let reading = ImportReader.read([Self.sheet([Self.member, [:], ["category": "优秀党务工作者"], Self.member], keys: keys)])
        #expect(reading.problems == [])
        #expect(reading.rows.map(\.rowNumber) == [3, 6], "row numbers as Excel shows them")
        let input = try #require(reading.rows.first?.input)
        #expect(input.category == .member)
        #expect(input.values["name"] == "张伟")
        #expect(input.values["ethnicity"] == "汉族", "names are mapped to codes by the rules, not here")
        #expect(input.attestations == ["no_violation_3y", "dues_paid_3y"])
        #expect(reading.rows.first?.columns["name"] == keys.firstIndex(of: "name"))
    }

    @Test("类别 decides the form: missing or unknown is an error on the 类别 column, an organisation belongs on its own sheet")
    func category() {
        let rows = [["name": "甲"], ["category": "先进个人", "name": "乙"], ["category": "先进基层党组织", "name": "丙"],
                    ["category": "优秀党务工作者", "name": "丁"]]
        let reading = ImportReader.read([Self.sheet(rows)])
        #expect(reading.rows.map { $0.input?.category } == [nil, nil, nil, .worker])
        for row in reading.rows.prefix(3) {
            #expect(row.issues.hasErrors && row.issues.allSatisfy { $0.field == "category" }, "\(row.issues)")
        }
        let orgKeys = ImportLayout.organisations.columns.map(\.key)
        let orgSheet = ImportSheet(name: "先进基层党组织", isHidden: false,
                                   rows: [orgKeys, orgKeys, orgKeys.map { $0 == "org_name" ? "某党支部" : "" }])
        #expect(ImportReader.read([orgSheet]).rows.first?.input?.category == .org)
    }

    @Test("what Excel does to typed values is undone: a date kept as a day number, an ID number turned into 1.5E+17")
    func excelValues() throws {
        var row = Self.member
        row["work_start_month"] = "38899"          // 2006-07-01 as an Excel day serial
        row["party_join_date"] = "39600.0"
        row["id_number"] = "1.50602198503151E+17"
        let reading = ImportReader.read([Self.sheet([row])])
        let imported = try #require(reading.rows.first)
        #expect(imported.input?.values["work_start_month"] == "2006-07", "a month stays a month")
        #expect(imported.input?.values["party_join_date"] == "2008-06", "no invented day for 入党时间")
        #expect(imported.issues.on("id_number").first?.message.contains("后几位已经丢失") == true)
        #expect(ExcelSerialDate.day("40360")?.description == "2010-07-01")
        #expect(ExcelSerialDate.day("43831")?.description == "2020-01-01")
        #expect(ExcelSerialDate.day("2010") == nil && ExcelSerialDate.day("201007") == nil)
    }

    @Test("a 优秀共产党员 row with 党内职务 filled gets a warning; an attestation other than 是/否 an error")
    func rowWarnings() throws {
        var row = Self.member
        row["party_post"] = "支部书记"
        row["vanguard_3y"] = "也许"
        let imported = try #require(ImportReader.read([Self.sheet([row])]).rows.first)
        #expect(imported.issues.on("party_post").first?.severity == .warning)
        #expect(imported.issues.on("vanguard_3y").first?.isError == true)
        #expect(imported.input?.values["party_post"] == nil)
    }

    @Test("a file without the key row, with a key twice, or with too many rows is refused as a whole")
    func wholeFileProblems() {
        let plain = ImportSheet(name: "Sheet1", isHidden: false, rows: [["姓名", "身份证号"], ["张伟", "1506"]])
        #expect(ImportReader.read([plain]).problems.first?.contains("没有找到导入模板的表头") == true)
        let twice = Self.sheet([Self.member], keys: Self.keys + ["name"])
        #expect(ImportReader.read([twice]).problems.first?.contains("name 出现了两次") == true)
        let many = Self.sheet(Array(repeating: Self.member, count: ImportLayout.maximumRows + 1))
        let reading = ImportReader.read([many])
        #expect(reading.problems.first?.contains("一次最多导入") == true)
        #expect(reading.rows.isEmpty)
        #expect(ImportReader.read([Self.sheet([])]).problems.first?.contains("没有填写任何推荐对象") == true)
        let hidden = ImportSheet(name: "Codes", isHidden: true, rows: Self.sheet([Self.member]).rows)
        #expect(ImportReader.read([hidden]).problems.first?.contains("没有找到导入模板的表头") == true)
        let unhidden = ImportSheet(name: "代码表", isHidden: false, rows: Self.sheet([Self.member]).rows)
        #expect(ImportReader.read([unhidden, Self.sheet([Self.member])]).rows.count == 1, "the code sheet is never data")
    }
}
