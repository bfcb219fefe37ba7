import Foundation
import HonorsCore
import OpenAPIRuntime
import Vapor

/// Every refusal of the API as JSON (`Problem` in openapi.yaml): the status, a title and what to do, in the
/// same Chinese as the pages, and for invalid input the message of each field under its key.
struct APIProblem: Error, Content {
    var title: String
    var message: String
    var errors: [FieldError]?

    struct FieldError: Content {
        let field: String
        let message: String
    }

    static let unauthorized = (HTTPStatus.unauthorized, APIProblem(title: "需要有效的令牌",
        message: "请在 Authorization 头中以 Bearer 方式提供联盟管理员发放的令牌；令牌过期或被撤销后需要重新申请。"))

    func response(_ status: HTTPStatus, headers: HTTPHeaders = [:]) -> Response {
        var headers = headers
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let body = (try? JSONEncoder().encode(self)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(data: body))
    }

    /// The JSON answer to any error, an unexpected one logged as the error pages log it.
    static func response(for error: any Error, on request: Request) -> Response {
        let (status, problem) = of(error)
        if status == .internalServerError { request.logger.report(error: error) }
        return problem.response(status)
    }

    /// What any error thrown by a handler (or by the generated code reading the request) means to the caller.
    static func of(_ error: any Error) -> (HTTPStatus, APIProblem) {
        let error = (error as? ServerError)?.underlyingError ?? error
        func fields(_ errors: [String: String]) -> [FieldError] {
            errors.sorted { $0.key < $1.key }.map { FieldError(field: $0.key, message: $0.value) }
        }
        switch error {
        case let transition as TransitionError:
            switch transition {
            case .refused(let refusal):
                return (transition.status, APIProblem(title: "不能进行此操作", message: refusal.message))
            case .stale:
                return (.conflict, APIProblem(title: "数据已被修改", message: TransitionError.staleMessage))
            case .invalid(let errors):
                return (.unprocessableEntity, APIProblem(title: "提交的内容有误", message: "请按各字段的说明修改后重新提交。",
                                                         errors: fields(errors)))
            }
        case let duplicate as NominationService.DuplicatePerson:
            return (.conflict, APIProblem(title: "重复推荐", message: NominationController.refusal(duplicate),
                                          errors: duplicate.check.issues.filter(\.isError).map { FieldError(field: $0.field, message: $0.message) }))
        case let explained as any ExplainedError:
            return (explained.status, APIProblem(title: explained.title, message: explained.message))
        case let abort as any AbortError:
            let (title, message) = abort.status == .notFound
                ? ("未找到", "记录不存在，或不在此令牌可以查看的范围内。")
                : ErrorPage.text(for: abort.status, reason: abort.reason)
            return (abort.status, APIProblem(title: title, message: message))
        case is DecodingError:
            return (.badRequest, APIProblem(title: "请求无效", message: "请求的参数或内容不符合接口说明（openapi.yaml）。"))
        case is any HTTPResponseConvertible:
            // What the generated code could not read (a path or query parameter, a body of the wrong shape):
            // the runtime's own errors, the only ones that say their status.
            return (.badRequest, APIProblem(title: "请求无效", message: "请求的参数或内容不符合接口说明（openapi.yaml）。"))
        default:
            return (.internalServerError, APIProblem(title: "出错了", message: "服务器处理请求时出错，请稍后重试。问题已记录。"))
        }
    }
}
