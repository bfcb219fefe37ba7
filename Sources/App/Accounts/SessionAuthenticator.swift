import Crypto
import Fluent
import SQLKit
import Foundation
import HonorsCore
import Vapor

/// Finds the signed-in user from the session cookie, enforcing idle and absolute expiry on the server.
struct SessionAuthenticator: AsyncMiddleware {
    static let cookieName = "honors_session"
    /// `last_seen_at` is written at most this often: idle expiry stays accurate to a minute without a
    /// write on every request.
    static let touchInterval: TimeInterval = 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.cookies[Self.cookieName]?.string, !token.isEmpty {
            if let user = try await Self.resume(token: token, on: request) {
                request.storage[CurrentUserKey.self] = user
            } else {
                clearCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie, response.cookies[Self.cookieName] == nil {
            response.cookies[Self.cookieName] = .expired
        }
        return response
    }

    /// What a request needs of its session comes in one indexed read: the session, its user, whether a campaign
    /// asks everyone for a second factor, whether the user has one, the page header's count of unread
    /// notifications and the token the page's reference reads are kept under (`ReferenceCache`). It writes only
    /// when the session ends or `last_seen_at` is a minute old.
    private static func resume(token: String, on request: Request) async throws -> CurrentUser? {
        let now = request.now
        let hash = tokenHash(token)
        let sql = request.db as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT s.created_at, s.last_seen_at, s.enrol_factor, u.id, u.username, u.display_name, u.role,
                   u.committee_id, u.must_change_password, u.active, u.reveal_personal_data,
                   (SELECT COUNT(*) FROM campaigns WHERE require_second_factor = \(bind: true)) AS asking,
                   (SELECT COUNT(*) FROM user_factors f WHERE f.user_id = u.id AND f.enabled_at IS NOT NULL) AS factors,
                   (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread,
                   (SELECT token FROM reference_generation) AS reference
            FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = \(bind: hash)
            """).plainRows().first,
              let role = Role(rawValue: try row.decode(column: "role", as: String.self))
        else { return nil }
        let lastSeenAt = try row.decode(column: "last_seen_at", as: Date.self)
        guard try row.decode(column: "active", as: Bool.self),
              SignInPolicy.sessionIsAlive(createdAt: try row.decode(column: "created_at", as: Date.self), lastSeenAt: lastSeenAt, now: now)
        else {
            try await request.write { db in
                try await UserSession.query(on: db).filter(\.$id == hash).delete()
            }
            return nil
        }
        if now.timeIntervalSince(lastSeenAt) >= touchInterval {
            try await request.write { db in
                try await UserSession.query(on: db).filter(\.$id == hash).set(\.$lastSeenAt, to: now).update()
            }
        }
        let userID = try row.decode(column: "id", as: Int.self)
        request.storage[ReferenceTokenKey.self] = try row.decode(column: "reference", as: String?.self)
        // Asked on every request, not only at sign-in: a session opened before the factor was required (the
        // upgrade that brought it, a campaign that now asks everyone, a reset of one's own factor) is held to it too.
        let required = SecondFactorPolicy.isRequired(for: role, everyoneRequired: try row.decode(column: "asking", as: Int.self) > 0)
        let mustEnrol = try row.decode(column: "enrol_factor", as: Bool.self)
            || (required && (try row.decode(column: "factors", as: Int.self)) == 0)
        var current = CurrentUser(id: userID, username: try row.decode(column: "username", as: String.self),
                                  displayName: try row.decode(column: "display_name", as: String.self),
                                  role: role, committeeID: try row.decode(column: "committee_id", as: Int?.self),
                                  mustChangePassword: try row.decode(column: "must_change_password", as: Bool.self),
                                  sessionID: hash, mustEnrolFactor: mustEnrol,
                                  unreadNotifications: try row.decode(column: "unread", as: Int.self))
        if role == .reviewer {
            current.revealGranted = try row.decode(column: "reveal_personal_data", as: Bool.self)
            current.recusedCommittees = try await ReviewerRecusal.committees(of: current.id, on: request.db)
        }
        return current
    }

    static func tokenHash(_ token: String) -> String {
        token.sha256Hex
    }
}

struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

extension Request {
    var currentUser: CurrentUser? { storage[CurrentUserKey.self] }

    /// The signed-in user; routes behind `RequireSignIn` can rely on it.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized) }
        return user
    }
}
