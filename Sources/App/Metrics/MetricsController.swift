import Prometheus
import Vapor

/// `GET /metrics`: the Prometheus text format, for the addresses in `HONORS_METRICS_ALLOW` only (default the
/// machine itself). From anywhere else it is an honest 404, as if there were no such page. The address is
/// `Request.clientAddress`, so through the reverse proxy it is the client's, not the proxy's; and a request
/// that carries `X-Forwarded-For` from a proxy Honors was not told to trust is refused, so a proxy left out of
/// `HONORS_TRUSTED_PROXIES` cannot make every visitor look like the machine itself.
struct MetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        guard Self.allowed(req) else { throw Abort(.notFound) }
        let registry = HonorsMetrics.registry
        await MetricsSnapshot(app: req.application, db: req.db).record(into: registry)
        var body = [UInt8]()
        registry.emit(into: &body)
        return Response(status: .ok,
                        headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                        body: .init(buffer: ByteBuffer(bytes: body)))
    }

    static func allowed(_ req: Request) -> Bool {
        let settings = req.application.honors
        let socket = req.remoteAddress?.ipAddress ?? "unknown"
        if req.headers.contains(name: "X-Forwarded-For"), !settings.trustedProxies.contains(socket) { return false }
        return settings.metricsAllowed.contains(req.clientAddress)
    }
}
