import Fluent
import Foundation
import Vapor

/// `GET /notifications` (one's own, newest first), `POST /notifications/{id}/read` (marks it read and goes
/// where it leads), `POST /notifications/read-all`.
struct NotificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("notifications", use: list)
        routes.post("notifications", ":notificationID", "read", use: read)
        routes.post("notifications", "read-all", use: readAll)
    }

    struct Row: Encodable {
        let id: Int
        let kind: String
        let kindLabel: String
        let title: String
        let body: String
        let link: String
        let at: String
        let unread: Bool
    }

    /// The unread count comes with every page (`Page.unread`).
    struct ListView: Encodable {
        let rows: [Row]
        let pageInfo: PageInfo
    }

    @Sendable func list(req: Request) async throws -> View {
        let user = try req.requireUser()
        let query = Notification.query(on: req.db).filter(\.$userID == user.id).sort(\.$id, .descending)
        let (items, pageInfo) = try await PageInfo.fetch(query, req: req)
        let rows = try items.map { n in
            Row(id: try n.requireID(), kind: n.kind, kindLabel: NotificationKind(rawValue: n.kind)?.label ?? n.kind,
                title: n.title, body: n.body, link: n.link, at: DateFormatting.minute(n.createdAt), unread: n.readAt == nil)
        }
        return try await req.page("notifications", title: "消息", ListView(rows: rows, pageInfo: pageInfo))
    }

    @Sendable func read(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.intParameter("notificationID")
        // Another person's notification does not exist for this one.
        guard let notification = try await Notification.query(on: req.db).filter(\.$id == id)
            .filter(\.$userID == user.id).first() else { throw Abort(.notFound) }
        let now = req.now
        try await req.write { db in
            try await Notification.query(on: db).filter(\.$id == id).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
        }
        return req.redirect(to: SignInController.safeNext(notification.link))
    }

    @Sendable func readAll(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let now = req.now
        try await req.write { db in
            try await Notification.query(on: db).filter(\.$userID == user.id).filter(\.$readAt == nil)
                .set(\.$readAt, to: now).update()
        }
        return req.redirect(to: "/notifications")
    }
}
