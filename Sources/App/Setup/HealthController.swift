import Fluent
import SQLKit
import Vapor

/// `GET /healthz`: 200 when the database answers, 503 otherwise. For load balancers and monitors.
/// `GET /healthz/live`: 200 while the process serves, without the database: the liveness probe, and the floor
/// the page benchmarks compare with (the same middleware as every page, nothing else).
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("healthz", "live") { _ in
            Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ok")
        }
    }

    @Sendable func health(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
            return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ok")
        } catch {
            req.logger.warning("health check failed: \(String(reflecting: error))")
            return Response(status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"],
                            body: "database unavailable")
        }
    }
}
