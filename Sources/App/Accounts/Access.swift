import HonorsCore
import Vapor

/// Sends visitors without a session to the sign-in page, users who must change their password to the
/// password page, and those who must enrol a second factor to its page, whatever they asked for.
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.currentUser else {
            if request.method == .GET {
                return request.redirect(to: "/login?next=\(SignInController.safeNext(request.url.string))")
            }
            return request.redirect(to: "/login", redirectType: .normal)
        }
        let passwordPaths = ["/account/password", "/logout"]
        if user.mustChangePassword, !passwordPaths.contains(request.url.path) {
            return request.redirect(to: "/account/password")
        }
        if user.mustEnrolFactor, !(passwordPaths + ["/account/factor"]).contains(request.url.path) {
            return request.redirect(to: "/account/factor")
        }
        return try await next.respond(to: request)
    }
}

/// Lets only the given roles through; others get 403.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>

    init(_ roles: Role...) { self.roles = Set(roles) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.currentUser, roles.contains(user.role) else { throw Abort(.forbidden) }
        return try await next.respond(to: request)
    }
}

extension CurrentUser {
    /// Whether this user may see the given committee's data. Used for every committee-scoped record:
    /// a committee operator asking for another committee's record gets 404, as if it did not exist.
    func canSee(committeeID: Int?) -> Bool {
        guard let committeeID else { return role.seesAllCommittees }
        switch relation(toCommittee: committeeID) {
        case .ownCommittee, .administrator, .reviewer: return true
        case .otherCommittee, .recusedReviewer: return false
        }
    }

    /// How this user stands to a committee's records: the workflow's question "whose is it?".
    func relation(toCommittee committeeID: Int) -> ActorRelation {
        switch role {
        case .admin: .administrator
        case .reviewer: recusedCommittees.contains(committeeID) ? .recusedReviewer : .reviewer
        case .committee: self.committeeID == committeeID ? .ownCommittee : .otherCommittee
        }
    }

    /// How an output shows this user the ID numbers and phones of a committee's records (nil: of every
    /// committee the user may see, as in a campaign-wide 汇总表 or package). Asks `PersonalDataPolicy`.
    func disclosure(_ output: PersonalDataOutput, committeeID: Int?) -> Disclosure {
        let relation: ActorRelation = committeeID.map(relation(toCommittee:)) ?? {
            switch role {
            case .admin: .administrator
            case .reviewer: .reviewer
            case .committee: .ownCommittee
            }
        }()
        return PersonalDataPolicy.disclosure(relation, output: output, revealGranted: revealGranted)
    }

    func requireCanSee(committeeID: Int?) throws {
        guard canSee(committeeID: committeeID) else { throw Abort(.notFound) }
    }
}

extension Request {
    /// An integer route parameter; anything else is a 404, never a 500.
    func intParameter(_ name: String) throws -> Int {
        guard let text = parameters.get(name), let value = Int(text), value > 0 else { throw Abort(.notFound) }
        return value
    }
}
