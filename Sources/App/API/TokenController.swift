import Fluent
import Foundation
import HonorsCore
import Vapor

/// `/admin/tokens`: the administrator's API tokens — the list, a new one (shown once, on the page that made it)
/// and revoking one, through `APITokens` like `honors token`.
struct TokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "tokens", use: list)
        routes.post("admin", "tokens", use: create)
        routes.post("admin", "tokens", ":tokenID", "revoke", use: revoke)
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let hint: String
        let scope: String
        let access: String
        let expires: String
        let lastUsed: String
        let state: String
        let usable: Bool
    }

    struct Form: Content {
        var name = ""
        var scope = ""
        var write: String?
        var days = "90"
    }

    struct ListView: Encodable {
        let rows: [Row]
        let committees: [SelectOption]
        let form: Form
        let errors: [String: String]
        let made: String?
        let madeName: String?
        let notice: String?
    }

    private func view(_ req: Request, form: Form = Form(), errors: [String: String] = [:], made: (String, String)? = nil,
                      notice: String? = nil) async throws -> ListView {
        let names = try await Committee.names(on: req.db)
        let now = req.now
        let rows = try await APIToken.query(on: req.db).sort(\.$id, .descending).limit(200).all().map { token in
            Row(id: try token.requireID(), name: token.name, hint: token.hint + "…",
                scope: token.committeeID.flatMap { names[$0] } ?? "联盟（所有行业党委）",
                access: token.canWrite ? "读写" : "只读", expires: DateFormatting.minute(token.expiresAt),
                lastUsed: token.lastUsedAt.map(DateFormatting.minute) ?? "从未使用",
                state: token.revokedAt != nil ? "已撤销" : token.isUsable(at: now) ? "有效" : "已过期", usable: token.isUsable(at: now))
        }
        let committees = try await Committee.query(on: req.db).sort(\.$sortOrder).all()
            .map { SelectOption(value: "\($0.id ?? 0)", label: $0.name, selected: "\($0.id ?? 0)" == form.scope) }
        return ListView(rows: rows, committees: committees, form: form, errors: errors, made: made?.0, madeName: made?.1, notice: notice)
    }

    @Sendable func list(req: Request) async throws -> View {
        let notice = req.queryValue("revoked").map { "已撤销令牌 \($0)，它的下一次使用即被拒绝。" }
        return try await req.page("tokens", title: "接口令牌", try await view(req, notice: notice))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let request = APITokens.Request(name: form.name, committeeID: form.scope == "alliance" ? nil : Int(form.scope),
                                        alliance: form.scope == "alliance", write: form.write != nil,
                                        days: Int(TextInput.halfWidth(form.days).trimmingCharacters(in: .whitespaces)) ?? 0)
        do {
            let (token, row) = try await APITokens(app: req.application, actor: req.actor, now: req.now).create(request)
            // The token itself is on this page only: it is not stored, and cannot be shown again.
            let response = try await req.page("tokens", title: "接口令牌", try await view(req, made: (token, row.name)))
                .encodeResponse(for: req)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch TransitionError.invalid(let errors) {
            return try await req.page("tokens", title: "接口令牌", try await view(req, form: form, errors: errors),
                                      status: .unprocessableEntity)
        }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let id = try req.intParameter("tokenID")
        _ = try await APITokens(app: req.application, actor: req.actor, now: req.now).revoke(id)
        return req.redirect(to: "/admin/tokens?revoked=\(id)")
    }
}
