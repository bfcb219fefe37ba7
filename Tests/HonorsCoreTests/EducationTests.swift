import Testing
@testable import HonorsCore

@Suite struct EducationTests {
    @Test func onlyLeafCodesAreSelectable() {
        #expect(Education.byCode("21")?.name == "大学本科毕业")
        #expect(Education.byCode("20") == nil)
        #expect(Education.byCode("10") == nil)
        #expect(Education.byCode("72") == nil)
        #expect(Education.byCode("90")?.name == "其他")
        #expect(Education.all.count == 33)
    }

    @Test func groupsKeepEveryLeafInOrder() {
        #expect(Education.groups.map(\.code) == ["10", "20", "30", "40", "60", "70", "80", "90"])
        #expect(Education.groups.flatMap(\.options) == Education.all)
        #expect(Education.groups[1].options.map(\.code) == ["21", "22", "23", "28"])
        #expect(Education.byCode("28")?.groupName == "大学本科教育")
        #expect(Education.byCode("47")?.groupName == "中等职业教育")
    }

    @Test(arguments: [
        ("11", "研究生"), ("19", "研究生"), ("21", "大学本科"), ("28", "大学本科"), ("33", "大学专科"),
        ("41", "中专"), ("43", "中专"), ("44", "高中、中技"), ("49", "高中、中技"), ("61", "高中、中技"),
        ("71", "初中及以下"), ("83", "初中及以下"), ("90", "初中及以下"),
    ])
    func printLevel(code: String, level: String) {
        #expect(Education.byCode(code)?.level.label == level)
    }

    @Test func lookupByNameAndShortName() {
        #expect(Education.byName("硕士研究生毕业")?.code == "14")
        #expect(Education.byName("本科")?.code == "21")
        #expect(Education.byName("大专")?.code == "31")
        #expect(Education.byName("中专")?.level == .secondarySpecialized)
        #expect(Education.byName("幼儿园") == nil)
        #expect(Education.lookup("３１")?.name == "大学专科毕业")
    }
}
