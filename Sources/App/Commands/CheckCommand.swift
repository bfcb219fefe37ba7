import Vapor

/// `honors check`: reads the whole database and reports every broken invariant; exits 0 only when all hold.
struct CheckCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "检查数据的一致性 (check the data's invariants)"

    struct Broken: Error, CustomStringConvertible {
        let description: String
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let findings = try await InvariantCheck.run(app, on: app.db, at: app.clock.now())
        guard findings.isEmpty else {
            for finding in findings { context.console.error("✗ \(finding.detail)") }
            throw Broken(description: "数据检查发现 \(findings.count) 处问题。")
        }
        context.console.print("数据检查通过：名额、人员唯一、状态、扫描件、存储文件、创建记录、计数表、构成统计表、姓名检索表与审计日志均无问题。")
    }
}
