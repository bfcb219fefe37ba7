import Fluent
import Foundation
import Vapor

/// `honors key status`, `honors key rotate`, `honors key retire KEYID`.
struct KeyCommand: AsyncCommandGroup {
    let help = "密钥环 (the key ring that seals ID numbers and phones)"
    let commands: [String: any AnyAsyncCommand] = ["status": KeyStatusCommand(), "rotate": KeyRotateCommand(),
                                                   "retire": KeyRetireCommand()]
}

/// Which keys the ring holds and how many stored values each seals; what is left to re-seal.
struct KeyStatusCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    let help = "显示密钥环及各密钥加密的数据量 (which keys seal how many values)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let box = app.secrets
        let usage = try await KeyRotation.usage(on: app.db)
        context.console.print("密钥环（\(KeyCommand.describe(app.secretKeys.source))）：")
        for id in box.keyIDs {
            let used = usage[id] ?? .init()
            let role = id == box.keyID ? "当前密钥" : "旧密钥（只用于读取）"
            context.console.print("  \(id)  \(role)  \(used.nominations) 条推荐，\(used.values) 项数据")
        }
        let pending = try await KeyRotation.pending(on: app.db, older: box.olderKeyIDs)
        context.console.print(pending == 0 ? "没有待重新加密的数据。" : "待重新加密：\(pending) 条推荐（服务运行时在后台进行，或运行 honors key rotate --resume）。")
        for action in ["key.rotate", "key.reseal", "key.retire"] {
            if let last = try await AuditEvent.query(on: app.db).filter(\.$action == action).sort(\.$id, .descending).first() {
                context.console.print("最近\(Audit.actionLabels[action] ?? action)：\(DateFormatting.minute(last.occurredAt))（\(last.actorName)，\(last.objectLabel)）")
            }
        }
        for line in KeyCommand.machineLines(box: box, usage: usage, pending: pending) { context.console.print(line) }
    }
}

/// A new current key, then every stored value re-sealed with it, with progress.
struct KeyRotateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "resume", help: "only go on re-sealing after an interruption; no new key") var resume: Bool
        @Flag(name: "background", help: "only add the new key: the running instances re-seal in the background") var background: Bool
    }

    let help = "轮换密钥：生成新密钥，旧密钥保留用于读取，并用新密钥重新加密全部数据 (rotate the key)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if !signature.resume {
            let (box, environmentValue) = try await KeyRotation.rotate(app)
            context.console.info("新的当前密钥：\(box.keyID)；保留用于读取：\(box.olderKeyIDs.joined(separator: "、"))")
            if let environmentValue {
                context.console.warning("密钥来自环境变量 HONORS_SECRET_KEY，无法写回。请把它设为下面的值（逗号分隔，新密钥在前）并重启所有实例；"
                    + "重启后服务会在后台重新加密：")
                context.console.print(environmentValue)
                return
            }
            context.console.print("密钥文件已更新（\(KeyCommand.describe(app.secretKeys.source))）。共用此文件的实例会自动读取新密钥。")
            if signature.background {
                context.console.print("正在运行的服务会在后台重新加密（同一时间只有一个实例在做）；进度用 honors key status 查看。")
                return
            }
        }
        let console = context.console
        let done = try await KeyRotation.reseal(app) { progress in
            console.print("已重新加密 \(progress.resealed) 条推荐，剩余 \(progress.remaining) 条")
        }
        if !done.unreadable.isEmpty {
            console.error("有 \(done.unreadable.count) 条推荐的数据无法打开，未作改动：\(done.unreadable.map(String.init).joined(separator: "、"))")
            throw KeyRotation.Refusal(description: "unreadable values")
        }
        console.info("重新加密完成：\(done.resealed) 条推荐。旧密钥已不再使用，可用 honors key retire 移除。")
    }
}

/// Removes an older key no stored value needs.
struct KeyRetireCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "key", help: "the key id, as honors key status shows it") var key: String
    }

    let help = "从密钥环中移除不再使用的旧密钥 (retire an older key)"

    func run(using context: CommandContext, signature: Signature) async throws {
        let (box, environmentValue) = try await KeyRotation.retire(context.application, keyID: signature.key)
        context.console.info("已移除密钥 \(signature.key)；密钥环现为：\(box.keyIDs.joined(separator: "、"))")
        if let environmentValue {
            context.console.warning("请把 HONORS_SECRET_KEY 设为下面的值并重启所有实例：")
            context.console.print(environmentValue)
        }
    }
}

extension KeyCommand {
    static func describe(_ source: SecretKeySource?) -> String {
        switch source?.origin {
        case .environment: "环境变量 HONORS_SECRET_KEY"
        case .file(let path): "文件 \(path)"
        case nil: "仅在内存中"
        }
    }

    /// `key=<id> role=current|older nominations=<n> values=<n>` and `pending=<n>`: for scripts.
    static func machineLines(box: SecretBox, usage: [String: KeyRotation.Usage], pending: Int) -> [String] {
        box.keyIDs.map { id in
            let used = usage[id] ?? .init()
            return "key=\(id) role=\(id == box.keyID ? "current" : "older") nominations=\(used.nominations) values=\(used.values)"
        } + ["pending=\(pending)"]
    }
}
