import Testing
@testable import HonorsCore

@Suite struct CategoryTests {
    @Test func labelsTitlesAndAttachments() {
        #expect(NominationCategory.member.label == "优秀共产党员")
        #expect(NominationCategory.member.formTitle == "优秀共产党员推荐和审批表")
        #expect(NominationCategory.org.formTitle == "先进基层党组织推荐和审批表")
        #expect(NominationCategory.worker.formTitle == "优秀党务工作者推荐和审批表")
        #expect(NominationCategory.allCases.map(\.attachmentNumber) == [2, 3, 4])
        #expect(NominationCategory(rawValue: "worker") == .worker)
    }

    @Test func peopleAndQuotaOrder() {
        #expect(!NominationCategory.org.isPerson)
        #expect(NominationCategory.member.isPerson && NominationCategory.worker.isPerson)
        #expect(NominationCategory.quotaTableOrder.map(\.label) == ["先进基层党组织", "优秀党务工作者", "优秀共产党员"])
        #expect(NominationCategory.org.countUnit == "个" && NominationCategory.member.countUnit == "名")
    }
}
