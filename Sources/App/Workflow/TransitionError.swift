import HonorsCore
import Vapor

/// Why `NominationTransitions.apply` did nothing. Thrown inside the write, so whatever the action had
/// already written (the version claim included) is rolled back with it.
enum TransitionError: Error {
    /// The workflow refused: the page shows the reason.
    case refused(Refusal)
    /// Someone changed the nomination since the page was loaded: the fresh page is shown with a message.
    case stale
    /// The action's own input or condition is not met: field key → message (`form` for the whole).
    case invalid([String: String])

    static let staleMessage = "此推荐刚刚被他人修改或处理，页面已更新为最新内容，请确认后再操作。"

    /// The errors to show on the nomination page, by field key.
    var pageErrors: [String: String] {
        switch self {
        case .refused(let refusal): ["form": refusal.message]
        case .stale: ["form": Self.staleMessage]
        case .invalid(let errors): errors
        }
    }

    var status: HTTPStatus {
        switch self {
        case .refused(let refusal):
            switch refusal.kind {
            case .notFound: .notFound
            case .forbidden: .forbidden
            case .wrongState, .closed: .conflict
            }
        case .stale: .conflict
        case .invalid: .unprocessableEntity
        }
    }
}
