import Testing
@testable import HonorsCore

@Suite struct EthnicityTests {
    @Test func listHas56PlusTwoInCodeOrder() {
        #expect(Ethnicity.all.count == 58)
        #expect(Ethnicity.all.first == Ethnicity.byCode("01"))
        #expect(Ethnicity.all.map(\.code) == Ethnicity.all.map(\.code).sorted())
        #expect(Set(Ethnicity.all.map(\.name)).count == 58)
        #expect(Ethnicity.all[55].name == "基诺族")
        #expect(Ethnicity.all.last?.code == "98")
    }

    @Test func lookupByCode() {
        #expect(Ethnicity.byCode("01")?.name == "汉族")
        #expect(Ethnicity.byCode("2")?.name == "蒙古族")
        #expect(Ethnicity.byCode("０２")?.name == "蒙古族")
        #expect(Ethnicity.byCode("31")?.name == "达斡尔族")
        #expect(Ethnicity.byCode("97")?.name == "其他")
        #expect(Ethnicity.byCode("57") == nil)
        #expect(Ethnicity.byCode("00") == nil)
        #expect(Ethnicity.byCode("") == nil)
        #expect(Ethnicity.byCode("001") == nil)
    }

    @Test func lookupByName() {
        #expect(Ethnicity.byName("蒙古族")?.code == "02")
        #expect(Ethnicity.byName("蒙古")?.code == "02")
        #expect(Ethnicity.byName(" 鄂温克族 ")?.code == "45")
        #expect(Ethnicity.byName("外国血统中国籍人士")?.code == "98")
        #expect(Ethnicity.byName("火星族") == nil)
        #expect(Ethnicity.lookup("03")?.name == "回族")
        #expect(Ethnicity.lookup("回族")?.code == "03")
    }
}
