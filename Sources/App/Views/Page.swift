import Leaf
import Vapor

/// The context every page template receives: the content of the page, the signed-in user, the CSRF token for
/// forms and the unread notifications (the title, the menu and the rest of the frame are `PageLayout`'s).
struct Page<Content: Encodable>: Encodable {
    let user: CurrentUser?
    let csrf: String
    let unread: Int
    let content: Content
}

struct NavItem {
    let label: String
    let href: String
    let active: Bool
}

extension Request {
    /// A page answered with another status than 200: a form shown again with its errors (422), a conflict (409).
    func page<Content: Encodable>(_ template: String, title: String, _ content: Content,
                                  status: HTTPStatus) async throws -> Response {
        let response = try await page(template, title: title, content).encodeResponse(for: self)
        response.status = status
        return response
    }

    /// `template`'s body for `content`, in the layout.
    func page<Content: Encodable>(_ template: String, title: String, _ content: Content) async throws -> View {
        let layout = layout(title: title)
        let body = try await view.render(template, Page(user: layout.user, csrf: layout.csrf, unread: layout.unread, content: content))
        return View(data: layout.document(around: body.data))
    }

    /// A page written in Swift (`HTML`), in the layout.
    func page(title: String, _ body: HTML) async throws -> View {
        View(data: layout(title: title).document(around: ByteBuffer(string: body.markup)))
    }

    /// A page written in Swift answered with another status than 200.
    func page(title: String, _ body: HTML, status: HTTPStatus) async throws -> Response {
        let response = try await page(title: title, body).encodeResponse(for: self)
        response.status = status
        return response
    }

    private func layout(title: String) -> PageLayout {
        let user = currentUser
        let unread = user?.unreadNotifications ?? 0
        return PageLayout(title: title, user: user, nav: Navigation.items(for: user, path: url.path), csrf: csrfToken, unread: unread)
    }
}

/// The menu for each role. Links only to what the role may open.
enum Navigation {
    static func items(for user: CurrentUser?, path: String) -> [NavItem] {
        guard let user, !user.mustChangePassword, !user.mustEnrolFactor else { return [] }
        var items: [(String, String)] = [("工作台", "/")]
        switch user.role {
        case .admin:
            items += [("审核工作台", "/review"), ("推荐对象", "/nominations"), ("纪检意见", "/integrity"), ("超额申请", "/quota-requests"),
                      ("推荐活动", "/campaigns"), ("行业党委", "/committees"), ("账号管理", "/admin/users"), ("接口令牌", "/admin/tokens"), ("操作日志", "/admin/audit")]
        case .reviewer:
            items += [("审核工作台", "/review"), ("推荐对象", "/nominations"), ("纪检意见", "/integrity"), ("推荐活动", "/campaigns"),
                      ("行业党委", "/committees")]
        case .committee:
            items += [("推荐对象", "/nominations"), ("Excel 导入", "/import"), ("超额申请", "/quota-requests")]
            if let id = user.committeeID { items.append(("本党委", "/committees/\(id)")) }
        }
        return items.map { label, href in
            NavItem(label: label, href: href, active: href == "/" ? path == "/" : path.hasPrefix(href))
        }
    }
}
