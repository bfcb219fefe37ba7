import Fluent
import Foundation
import HonorsCore
import Vapor

/// `honors token create --name N (--committee NAME | --alliance) [--write] --expires DAYS`, `honors token list`,
/// `honors token revoke ID`: the API's tokens from the shell, through the same `APITokens` as the admin page.
struct TokenCommand: AsyncCommandGroup {
    let help = "管理接口令牌 (manage API tokens)"
    let commands: [String: any AnyAsyncCommand] = ["create": TokenCreateCommand(), "list": TokenListCommand(),
                                                   "revoke": TokenRevokeCommand()]
}

struct TokenCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "令牌名称，如对接的平台 (what holds it)") var name: String?
        @Option(name: "committee", help: "行业党委名称：只能访问该党委的记录") var committee: String?
        @Flag(name: "alliance", help: "联盟令牌：可读取所有行业党委已上报的记录") var alliance: Bool
        @Flag(name: "write", help: "可写：新建、修改、上报（联盟令牌：退回、通过、不予通过）") var write: Bool
        @Option(name: "expires", help: "有效天数 (1-366)") var expires: Int?
    }

    let help = "创建接口令牌，只显示一次 (create an API token; it is shown once)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var committeeID: Int?
        if let name = signature.committee.map(TextInput.line), !name.isEmpty {
            guard let committee = try await Committee.query(on: app.db).filter(\.$name == name).first() else {
                let names = try await Committee.query(on: app.db).sort(\.$sortOrder).all().map(\.name)
                context.console.error("找不到行业党委“\(name)”。现有：\(names.joined(separator: "、"))")
                throw Abort(.badRequest)
            }
            committeeID = committee.id
        }
        let request = APITokens.Request(name: signature.name ?? "", committeeID: committeeID, alliance: signature.alliance,
                                        write: signature.write, days: signature.expires ?? 0)
        do {
            let (token, row) = try await APITokens(app: app, actor: .commandLine(), now: app.clock.now()).create(request)
            context.console.info("已创建接口令牌 \(row.id ?? 0)“\(row.name)”，有效至 \(DateFormatting.minute(row.expiresAt))。令牌只显示这一次：")
            context.console.print(token)
        } catch TransitionError.invalid(let problems) {
            let labels = ["name": "--name", "scope": "--committee / --alliance", "days": "--expires"]
            for (field, message) in problems.sorted(by: { $0.key < $1.key }) { context.console.error("\(labels[field] ?? field)：\(message)") }
            throw Abort(.badRequest)
        }
    }
}

struct TokenListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "列出接口令牌 (list API tokens)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let names = try await Committee.names(on: app.db)
        let now = app.clock.now()
        for token in try await APIToken.query(on: app.db).sort(\.$id).all() {
            let scope = token.committeeID.flatMap { names[$0] } ?? "联盟"
            let state = token.revokedAt != nil ? "已撤销" : token.isUsable(at: now) ? "有效至 \(DateFormatting.minute(token.expiresAt))" : "已过期"
            context.console.print("\(token.id ?? 0)\t\(token.hint)…\t\(token.name)\t\(scope)\t\(token.canWrite ? "可写" : "只读")\t\(state)")
        }
    }
}

struct TokenRevokeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "令牌编号 (honors token list)") var id: Int
    }
    let help = "撤销接口令牌，立即生效 (revoke an API token at once)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let row = try await APITokens(app: context.application, actor: .commandLine(), now: context.application.clock.now())
            .revoke(signature.id)
        context.console.info("已撤销接口令牌 \(signature.id)“\(row.name)”。")
    }
}
