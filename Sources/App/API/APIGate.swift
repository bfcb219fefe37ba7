import Fluent
import Foundation
import Vapor

/// The door of `/api/v1`: a usable bearer token or 401, its rate or 429, a read-only token's writes 403; the
/// holder becomes the request's user, so every service asks its questions as it asks them of a person; every
/// use past the rate, refused ones included, goes on the audit trail with its status; every error comes back as JSON.
struct APIGate: AsyncMiddleware {
    /// The request a handler of the generated protocol is answering (it is handed only the decoded input).
    @TaskLocal static var request: Request?

    /// The largest body an operation reads: a nomination's values are far smaller.
    static let maxBody = 1 << 20

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await gate(request, next: next)
        } catch {
            // The database failing under the gate itself: JSON all the same.
            return APIProblem.response(for: error, on: request)
        }
    }

    private func gate(_ request: Request, next: any AsyncResponder) async throws -> Response {
        let now = request.now
        guard let bearer = request.headers.bearerAuthorization?.token,
              let token = try await APITokens.find(bearer: bearer, on: request.db) else {
            let (status, problem) = APIProblem.unauthorized
            return problem.response(status, headers: ["WWW-Authenticate": "Bearer"])
        }
        let id = try token.requireID()
        // Over the rate nothing is done, nor written: a runaway loop must not fill the audit trail either.
        if let wait = await request.application.apiRateLimiter.take(id, at: now) {
            return APIProblem(title: "请求过于频繁", message: "此令牌的请求过多，请在 \(wait) 秒后重试。")
                .response(.tooManyRequests, headers: ["Retry-After": "\(wait)"])
        }
        let response: Response
        if !token.isUsable(at: now) {
            // A revoked or expired token tried: refused, and on record (a stolen old token leaves a trace).
            let (status, problem) = APIProblem.unauthorized
            response = problem.response(status, headers: ["WWW-Authenticate": "Bearer"])
        } else if ![.GET, .HEAD].contains(request.method), !token.canWrite {
            response = APIProblem(title: "令牌只读", message: "此令牌只能读取，不能修改数据。如需写入，请联系联盟管理员发放可写令牌。")
                .response(.forbidden)
        } else if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > Self.maxBody {
            response = Self.tooLarge
        } else {
            request.storage[CurrentUserKey.self] = try token.holder()
            do {
                // Read whole, within the limit: the generated code would otherwise collect any length.
                _ = try await request.body.collect(max: Self.maxBody).get()
                response = try await Self.$request.withValue(request) { try await next.respond(to: request) }
            } catch let error as any AbortError where error.status == .payloadTooLarge {
                response = Self.tooLarge
            } catch {
                response = APIProblem.response(for: error, on: request)
            }
        }
        try await record(request, token: token, status: response.status, at: now)
        return response
    }

    static var tooLarge: Response {
        APIProblem(title: "提交内容过大", message: "请求内容超过 1 MB，未做任何修改。").response(.payloadTooLarge)
    }

    /// One event per use: which token, what it asked, what it got.
    private func record(_ request: Request, token: APIToken, status: HTTPStatus, at now: Date) async throws {
        let actor = Actor(userID: nil, name: try token.actorName, role: "api", address: request.clientAddress)
        let asked = "\(request.method.rawValue) \(request.url.path)" + (request.url.query.map { "?\($0)" } ?? "")
        let id = try token.requireID(), label = token.name, committee = token.committeeID
        try await request.write { db in
            try await Audit.record(on: db, actor: actor, action: "api.request", objectType: "api_token", objectID: "\(id)",
                                   objectLabel: label, committeeID: committee,
                                   changes: [FieldChange("request", old: nil, new: String(asked.prefix(300))),
                                             FieldChange("status", old: nil, new: "\(status.code)")], at: now)
            try await APIToken.query(on: db).filter(\.$id == id).set(\.$lastUsedAt, to: now).update()
        }
    }
}

extension Request {
    /// The request an API handler answers.
    static var api: Request {
        get throws {
            guard let request = APIGate.request else { throw Abort(.internalServerError, reason: "no API request") }
            return request
        }
    }
}
