import HonorsOffice
import Vapor

/// Turns every error into a Chinese page (or a short text for non-HTML clients) with the right status.
/// Internal details are logged, never shown.
struct ErrorPage: AsyncMiddleware {
    static let csrfReason = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch where request.url.path.hasPrefix("/api/") {
            // No such operation or method under the API: answered as the API answers, in JSON.
            return APIProblem.response(for: error, on: request)
        } catch let error as any ExplainedError {
            let page = ErrorView(status: Int(error.status.code), title: error.title, message: error.message)
            return try await request.page("error", title: error.title, page, status: error.status)
        } catch let error where error is ServerBusy || (error as? OfficeError) == .busy {
            let response = try await request.page("error", title: "系统繁忙",
                                                  ErrorView(status: 503, title: "系统繁忙", message: ServerBusy.message),
                                                  status: .serviceUnavailable)
            response.headers.replaceOrAdd(name: .retryAfter, value: "10")
            return response
        } catch {
            let status = (error as? any AbortError)?.status ?? .internalServerError
            if status == .internalServerError {
                request.logger.report(error: error)
            }
            let reason = (error as? any AbortError)?.reason
            let (title, message) = Self.text(for: status, reason: reason)
            let page = ErrorView(status: Int(status.code), title: title, message: message)
            do {
                return try await request.page("error", title: title, page, status: status)
            } catch {
                return Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"],
                                body: .init(string: "\(title)：\(message)"))
            }
        }
    }

    static func text(for status: HTTPResponseStatus, reason: String?) -> (String, String) {
        switch status {
        case .forbidden where reason == csrfReason:
            return ("安全校验失败", "表单已过期或来源不明，未做任何修改。请返回上一页，刷新后重新提交。")
        case .forbidden:
            return ("无权访问", "您的账号无权进行此操作。如需权限，请联系联盟管理员。")
        case .notFound:
            return ("未找到", "您要访问的页面或记录不存在，或不属于您所在的行业党委。")
        case .payloadTooLarge:
            return ("提交内容过大", "提交的内容超过了允许的大小，未做任何修改。请缩减内容或文件后重试。")
        case .badRequest:
            return ("请求无效", reason.map { "无法处理提交的内容：\($0)" } ?? "无法处理提交的内容。")
        case .methodNotAllowed:
            return ("请求无效", "不支持此操作方式。")
        case .conflict:
            return ("数据已被修改", reason ?? "该记录已被他人修改，请刷新后重试。")
        case .serviceUnavailable where reason == "pdf":
            return ("PDF 暂不可用", "本服务器未安装 LibreOffice，无法生成 PDF。请下载 Word 版审批表，打印或另存为 PDF。")
        case .serviceUnavailable:
            return ("服务暂不可用", "数据库暂时无法访问，请稍后重试。")
        default:
            return ("出错了", "服务器处理请求时出错，请稍后重试。问题已记录。")
        }
    }
}

/// An error that says itself what the page shows: a refusal whose reason is more precise than the
/// status's general text.
protocol ExplainedError: Error {
    var status: HTTPStatus { get }
    var title: String { get }
    var message: String { get }
}

struct ExplainedRefusal: ExplainedError {
    let status: HTTPStatus
    let title: String
    let message: String
}

struct ErrorView: Encodable {
    let status: Int
    let title: String
    let message: String
}
