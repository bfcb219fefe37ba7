import Fluent
import Foundation
import HonorsCore
import Vapor

/// `POST /admin/users/{id}/recusals` (`committee_ids[]`): the committees a reviewer is recused from (回避).
/// A recused reviewer neither sees nor reviews those committees' nominations: `CurrentUser.relation` makes
/// them a stranger to those records, which the workflow answers as "not found".
extension AccountsController {
    struct RecusalInput: Content {
        var committee_ids: [String]?
    }

    @Sendable func setRecusals(req: Request) async throws -> Response {
        guard let user = try await User.find(req.intParameter("userID"), on: req.db) else { throw Abort(.notFound) }
        guard user.role == .reviewer else {
            throw ExplainedRefusal(status: .conflict, title: "不能设置回避", message: "回避只适用于联盟审核人员账号。")
        }
        let userID = try user.requireID()
        let known = Set(try await Committee.query(on: req.db).all().compactMap(\.id))
        let chosen = Set((try req.content.decode(RecusalInput.self).committee_ids ?? []).compactMap(Int.init)).intersection(known)
        let names = try await Committee.names(on: req.db)
        let actor = req.actor, now = req.now
        try await req.write { db in
            let before = try await ReviewerRecusal.committees(of: userID, on: db)
            guard before != chosen else { return }
            try await ReviewerRecusal.query(on: db).filter(\.$userID == userID).delete()
            for committee in chosen.sorted() { try await ReviewerRecusal(userID: userID, committeeID: committee).create(on: db) }
            func list(_ ids: Set<Int>) -> String { ids.sorted().compactMap { names[$0] }.joined(separator: "、") }
            try await Audit.record(on: db, actor: actor, action: "account.recusals", objectType: "user", objectID: "\(userID)",
                                   objectLabel: user.username,
                                   changes: [FieldChange("recusals", old: list(before), new: list(chosen))], at: now)
        }
        return req.redirect(to: "/admin/users/\(userID)?notice=recusals")
    }
}
