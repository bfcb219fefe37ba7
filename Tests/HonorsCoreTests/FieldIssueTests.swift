import Testing
@testable import HonorsCore

@Suite struct FieldIssueTests {
    @Test func errorsBlockWarningsDoNot() {
        let warnings: [FieldIssue] = [.warning("deeds", "偏短")]
        #expect(!warnings.hasErrors)
        let mixed = warnings + [.error("phone", "请填写联系电话")]
        #expect(mixed.hasErrors)
        #expect(mixed.on("phone").map(\.message) == ["请填写联系电话"])
        #expect(FieldIssue(field: "name", message: "x").severity == .error)
    }
}
