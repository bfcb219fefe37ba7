import HonorsCore
import Vapor

/// For the routes of one nomination: a refusal of the workflow, a stale version or an action's unmet
/// condition is answered with the nomination's page, fresh from the database, the reason at the top or
/// beside its field, and what the person typed kept in the form. "Not found" stays a 404 and a role's
/// refusal a 403, with the workflow's reason.
struct NominationRefusals: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as TransitionError {
            if case .refused(let refusal) = error {
                switch refusal.kind {
                case .notFound: throw Abort(.notFound)
                case .forbidden: throw ExplainedRefusal(status: .forbidden, title: "无权进行此操作", message: refusal.message)
                case .wrongState, .closed: break
                }
            }
            let loaded = try await NominationController.load(request)
            // What was typed comes back into the forms; files are never echoed.
            var typed = (try? request.content.decode([String: String].self)) ?? [:]
            typed["_csrf"] = nil
            typed["version"] = nil
            let view = try await NominationController.showView(loaded, req: request, errors: error.pageErrors, input: typed)
            return try await request.page(title: loaded.nomination.displayName, view.html(csrf: request.csrfToken), status: error.status)
        }
    }
}
