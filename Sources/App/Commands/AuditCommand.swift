import Fluent
import Foundation
import SQLKit
import Vapor

/// `honors audit verify` and `honors audit head`.
struct AuditCommand: AsyncCommandGroup {
    let help = "审计日志 (the audit trail)"
    let commands: [String: any AnyAsyncCommand] = ["verify": AuditVerifyCommand(), "head": AuditHeadCommand()]
}

/// Walks the whole chain and names the first broken place; exits 0 only when the chain is whole. The result
/// goes on the chain itself, so the audit page can say when it was last verified.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "校验审计日志的哈希链 (verify the audit chain)"

    struct Broken: Error, CustomStringConvertible {
        let description: String
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let report = try await AuditVerifier.verify(on: app.db)
        try await AuditVerification.record(report, on: app)
        if let problem = report.problem {
            context.console.error("审计日志校验未通过：\(problem.detail)")
            context.console.print("已核对完整的部分：\(report.count) 条。")
            throw Broken(description: problem.detail)
        }
        context.console.print("审计日志完整：共 \(report.count) 条，链头 \(report.head.hash)")
    }
}

/// Prints the head, to be written into the campaign's paper records and compared later.
struct AuditHeadCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "显示审计日志的链头 (print the chain's head)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let head = try await AuditChain.head(on: context.application.db)
        context.console.print("count=\(head.count)")
        context.console.print("head=\(head.hash)")
    }
}

/// A verification's result, on the chain.
enum AuditVerification {
    static let action = "audit.verify"

    static func record(_ report: AuditVerifier.Report, on app: Application) async throws {
        let now = app.clock.now()
        try await app.write { db in
            try await Audit.record(on: db, actor: .commandLine(), action: action, objectType: "audit",
                                   objectLabel: report.isWhole ? "完整" : "未通过",
                                   changes: [FieldChange("count", old: nil, new: "\(report.count)"),
                                             FieldChange("head", old: nil, new: report.head.hash),
                                             FieldChange("result", old: nil, new: report.problem?.detail ?? "完整")],
                                   at: now)
        }
    }

    /// The latest verification, for the audit page.
    static func latest(on db: any Database) async throws -> AuditController.Stored? {
        try await (db as! any SQLDatabase).select().columns(AuditController.Stored.pageColumns).from(AuditEvent.schema)
            .where("action", .equal, SQLBind(action)).orderBy("id", .descending).limit(1).plainRows().first.map(AuditController.Stored.init)
    }
}
