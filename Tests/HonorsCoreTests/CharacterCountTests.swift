import Testing
@testable import HonorsCore

@Suite struct CharacterCountTests {
    @Test(arguments: [
        ("", 0),
        ("   \n\t　", 0),
        ("党建引领发展", 6),
        ("党建引领，服务群众。", 10),
        ("2023年", 2),
        ("２０２３年", 2),
        ("Vapor 框架", 3),
        ("Hello world", 2),
        ("使用 APP 和 5G 网络", 7),
        ("增长3.5%", 4),
        ("服务1,000余人", 5),
        ("COVID-19期间", 3),
        ("abc，def", 3),
        ("吉祥的𠮷字", 5),
        ("点赞👍🏽", 3),
        ("第1️⃣名", 3),
        ("他说：“好！”", 7),
        ("a\u{200B}b", 1),
        ("abc\ndef", 2),
        ("一\r\n二", 2),
        ("「引号」々〇", 6),
        ("カタカナ", 4),
        ("（１）", 3),
        ("党建\u{3000}引领", 4),
    ])
    func wordStyleCount(text: String, expected: Int) {
        #expect(CharacterCount.count(text) == expected)
    }

    @Test("the quick count of plain Chinese text agrees with the character-by-character count")
    func quickCountAgrees() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("党建引领，。“”、：；（）《》！？·—…‘’＂１Ａｚ a Z09.,'-:/_&%\n\t\r　々カ𠮷")
        for _ in 0..<3000 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(CharacterCount.count(text) == CharacterCount.characterCount(text), "\(text.debugDescription)")
        }
        #expect(CharacterCount.plainCount("增长3.5%，服务1,000余人") != nil, "plain text takes the quick path")
        #expect(CharacterCount.plainCount("点赞👍🏽") == nil, "emoji take the careful path")
    }

    @Test func policyBands() {
        let policy = DeedsLengthPolicy(target: 1000, tolerancePercent: 20)
        #expect(policy.softMinimum == 800 && policy.softMaximum == 1200)
        #expect(policy.hardMinimum == 500 && policy.hardMaximum == 3000)
        #expect(policy.check(count: 1000) == .ok)
        #expect(policy.check(count: 800) == .ok)
        #expect(policy.check(count: 1200) == .ok)
        #expect(policy.check(count: 799).message?.contains("建议补充") == true)
        #expect(!policy.check(count: 799).isBlocking)
        #expect(policy.check(count: 1201).message?.contains("建议精简") == true)
        #expect(!policy.check(count: 500).isBlocking)
        #expect(policy.check(count: 499).isBlocking)
        #expect(!policy.check(count: 3000).isBlocking)
        #expect(policy.check(count: 3001).isBlocking)
        #expect(policy.check(count: 0).isBlocking)
    }

    @Test func messagesStateCountAndTarget() {
        let policy = DeedsLengthPolicy(target: 1000, tolerancePercent: 20)
        let low = policy.check(count: 300).message ?? ""
        #expect(low.contains("300字") && low.contains("1000字左右") && low.contains("500字"))
        let high = policy.check(count: 3500).message ?? ""
        #expect(high.contains("3500字") && high.contains("3000字"))
        #expect(policy.check(count: 700) == .warning("主要事迹现为700字，通知要求1000字左右（800–1200字），建议补充"))
        #expect(policy.check(count: 300).issue?.severity == .error)
        #expect(policy.check(count: 700).issue?.field == "deeds")
        #expect(policy.check(count: 1000).issue == nil)
    }

    @Test func textIsCountedAndSettingsApply() {
        let policy = DeedsLengthPolicy(settings: Notice2024.settings)
        #expect(policy == DeedsLengthPolicy(target: 1000, tolerancePercent: 20, hardMinimumRatio: 0.5, hardMaximumRatio: 3.0))
        #expect(policy.check(String(repeating: "事迹", count: 500)) == .ok)
        #expect(policy.check(String(repeating: "事迹 ", count: 200)).isBlocking)
    }
}
