import Crypto
import Fluent
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

    private static func resume(token: String, on request: Request) async throws -> CurrentUser? {
        let now = request.now
        let hash = tokenHash(token)
        guard let session = try await UserSession.query(on: request.db).filter(\.$id == hash)
            .with(\.$user).first()
        else { return nil }
        let user = session.user
        guard user.active,
              SignInPolicy.sessionIsAlive(createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, now: now)
        else {
            try await request.write { db in
                try await UserSession.query(on: db).filter(\.$id == hash).delete()
            }
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= touchInterval {
            try await request.write { db in
                try await UserSession.query(on: db).filter(\.$id == hash).set(\.$lastSeenAt, to: now).update()
            }
        }
        let userID = try user.requireID()
        // Asked on every request, not only at sign-in: a session opened before the factor was required (the
        // upgrade that brought it, a campaign that now asks everyone, a reset of one's own factor) is held to it too.
        var mustEnrol = session.enrolFactor
        if !mustEnrol, try await SecondFactor.isRequired(for: user.role, on: request.db) {
            mustEnrol = try await !SecondFactor.isEnabled(userID, on: request.db)
        }
        var current = CurrentUser(id: userID, username: user.username, displayName: user.displayName,
                                  role: user.role, committeeID: user.$committee.id,
                                  mustChangePassword: user.mustChangePassword, sessionID: hash,
                                  mustEnrolFactor: mustEnrol)
        if user.role == .reviewer {
            current.revealGranted = user.revealPersonalData
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
