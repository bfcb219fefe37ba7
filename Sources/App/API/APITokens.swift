import Crypto
import Fluent
import Foundation
import HonorsCore
import Vapor

/// Making, revoking and recognising API tokens, each change on the audit trail: the one place the admin page
/// and `honors token` both use.
struct APITokens {
    let app: Application
    let actor: Actor
    let now: Date

    /// What the administrator asks for.
    struct Request: Sendable {
        var name: String
        var committeeID: Int?
        var alliance: Bool
        var write: Bool
        var days: Int
    }

    /// Longest life of a token; a platform's integration renews it within the year.
    static let maximumDays = 366
    static let prefix = "hon_"

    /// Checks what was asked: field key → message, nothing stored when any.
    static func problems(_ request: Request, committees: Set<Int>) -> [String: String] {
        var problems: [String: String] = [:]
        let name = TextInput.line(request.name)
        if name.isEmpty { problems["name"] = "请填写令牌名称，如对接的平台名称。" }
        else if name.count > 50 { problems["name"] = "令牌名称最多 50 字，现为 \(name.count) 字。" }
        if request.alliance == (request.committeeID != nil) {
            problems["scope"] = "请选择令牌属于某一行业党委，或属于联盟。"
        } else if let committee = request.committeeID, !committees.contains(committee) {
            problems["scope"] = "找不到所选的行业党委。"
        }
        if !(1...maximumDays).contains(request.days) { problems["days"] = "有效期应为 1 至 \(maximumDays) 天。" }
        return problems
    }

    /// The token (shown once) and its row. Throws `TransitionError.invalid` with the problems.
    func create(_ request: Request) async throws -> (token: String, row: APIToken) {
        let committees = Set(try await Committee.query(on: app.db).all().compactMap(\.id))
        let problems = Self.problems(request, committees: committees)
        guard problems.isEmpty else { throw TransitionError.invalid(problems) }
        let token = Self.prefix + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64url
        let row = APIToken()
        row.name = TextInput.line(request.name)
        row.tokenHash = token.sha256Hex
        row.hint = String(token.prefix(Self.prefix.count + 6))
        row.scope = (request.alliance ? APIToken.Scope.alliance : .committee).rawValue
        row.committeeID = request.alliance ? nil : request.committeeID
        row.canWrite = request.write
        row.createdBy = actor.name
        row.createdAt = now
        row.expiresAt = now.addingTimeInterval(Double(request.days) * 86_400)
        let made = row, actor = self.actor, now = self.now
        try await app.write { db in
            try await made.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "api_token.create", objectType: "api_token",
                                   objectID: "\(try made.requireID())", objectLabel: made.name, committeeID: made.committeeID,
                                   changes: [FieldChange("scope", old: nil, new: made.scope), FieldChange("can_write", old: nil, new: made.canWrite ? "1" : "0"),
                                             FieldChange("expires_at", old: nil, new: DateFormatting.minute(made.expiresAt)),
                                             FieldChange("hint", old: nil, new: made.hint)],
                                   at: now)
        }
        return (token, made)
    }

    /// Revokes a token at once: its next use is refused. Revoking twice changes nothing.
    func revoke(_ id: Int) async throws -> APIToken {
        let actor = self.actor, now = self.now
        return try await app.write { db in
            guard let row = try await APIToken.find(id, on: db) else { throw Abort(.notFound) }
            guard row.revokedAt == nil else { return row }
            row.revokedAt = now
            try await row.save(on: db)
            try await Audit.record(on: db, actor: actor, action: "api_token.revoke", objectType: "api_token",
                                   objectID: "\(id)", objectLabel: row.name, committeeID: row.committeeID, at: now)
            return row
        }
    }

    /// The token a bearer holds, if it is one of ours (usable or not: `APIToken.isUsable`).
    static func find(bearer token: String, on db: any Database) async throws -> APIToken? {
        guard token.hasPrefix(prefix), token.count < 128 else { return nil }
        return try await APIToken.query(on: db).filter(\.$tokenHash == token.sha256Hex).first()
    }
}
