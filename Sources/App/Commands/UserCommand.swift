import Fluent
import Foundation
import HonorsCore
import Vapor

/// `honors user create --username U --role admin|reviewer|committee [--committee NAME] --password-stdin`
struct UserCommand: AsyncCommandGroup {
    let help = "管理账号 (manage accounts)"
    let commands: [String: any AnyAsyncCommand] = ["create": UserCreateCommand()]
}

struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "用户名 (3-32: a-z 0-9 . _ -)") var username: String?
        @Option(name: "role", help: "admin | reviewer | committee") var role: String?
        @Option(name: "committee", help: "行业党委名称 (committee role only)") var committee: String?
        @Option(name: "display-name", help: "姓名或称呼") var displayName: String?
        @Flag(name: "password-stdin", help: "从标准输入读取密码 (read the password from standard input)")
        var passwordStdin: Bool
        @Flag(name: "must-change", help: "首次登录须修改密码") var mustChange: Bool
    }

    let help = "创建账号 (create an account)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.passwordStdin else {
            context.console.error("请使用 --password-stdin 从标准输入提供密码（密码不应出现在命令行中）。")
            throw Abort(.badRequest)
        }
        var password = readLine(strippingNewline: true) ?? ""
        if password.hasSuffix("\r") { password.removeLast() }

        var committeeID = ""
        if let name = signature.committee.map(TextInput.line), !name.isEmpty {
            guard let committee = try await Committee.query(on: app.db).filter(\.$name == name).first() else {
                let names = try await Committee.query(on: app.db).sort(\.$sortOrder).all().map(\.name)
                context.console.error("找不到行业党委“\(name)”。现有：\(names.joined(separator: "、"))")
                throw Abort(.badRequest)
            }
            committeeID = "\(committee.id ?? 0)"
        }
        let input = AccountService.NewAccount(
            username: signature.username ?? "", displayName: signature.displayName ?? "",
            role: signature.role ?? "", committeeID: committeeID, password: password,
            mustChangePassword: signature.mustChange)
        let checked = try await AccountService.validate(input, on: app.db)
        guard checked.errors.isEmpty, let role = checked.role else {
            let labels = ["username": "--username", "display_name": "--display-name", "role": "--role",
                          "committee_id": "--committee", "password": "密码"]
            for (field, message) in checked.errors.sorted(by: { $0.key < $1.key }) {
                context.console.error("\(labels[field] ?? field)：\(message)")
            }
            throw Abort(.badRequest)
        }
        let hash = try await app.password.async.hash(password)
        _ = try await AccountService(app: app, actor: .commandLine(), now: app.clock.now()).create(
            username: checked.username, displayName: checked.displayName, role: role, committee: checked.committee,
            passwordHash: hash, mustChangePassword: signature.mustChange)
        context.console.info("已创建账号 \(checked.username)（\(role.label)\(checked.committee.map { "，\($0.name)" } ?? "")）。")
    }
}
