import Fluent
import Foundation
import HonorsCore
import Vapor

/// Bulk approval from the desk: the first POST shows exactly which nominations and how many; the second,
/// with `confirm=1`, approves them all in one transaction or none of them, naming the one that stood in the way.
extension ReviewQueueController {
    struct BulkInput: Content {
        /// `id:version` of each chosen nomination, as the desk showed it.
        var ids: [String]?
        var alliance_opinion: String?
        var alliance_opinion_date: String?
        var confirm: String?
    }

    struct BulkRow: Encodable {
        let id: Int
        let version: Int
        let name: String
        let committee: String
        let category: String
        let state: String
        let integrity: String
    }

    struct BulkView: Encodable {
        let rows: [BulkRow]
        let count: Int
        let opinion: String
        let date: String
        let errors: [String: String]
    }

    @Sendable func bulkApprove(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard NominationWorkflow.isOpen(.approve, to: user.relation(toCommittee: -1)) else {
            throw ExplainedRefusal(status: .forbidden, title: "无权进行此操作", message: "只有联盟管理员可以审核通过。")
        }
        let input = try req.content.decode(BulkInput.self)
        var chosen: [(id: Int, version: Int)] = []
        for text in input.ids ?? [] {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let id = Int(parts[0]), let version = Int(parts[1]),
                  !chosen.contains(where: { $0.id == id }) else { continue }
            chosen.append((id, version))
        }
        let names = try await Committee.names(on: req.db)
        let found = chosen.isEmpty ? [] : try await Nomination.query(on: req.db).filter(\.$id ~~ chosen.map(\.id))
            .field(\.$id).field(\.$displayName).field(\.$committee.$id).field(\.$category).field(\.$state)
            .field(\.$integrityResult).all()
        // Only what this person may see: another id in the form is not shown, and not approved.
        let visible = found.filter { user.canSee(committeeID: $0.$committee.id) && NominationState.reachedAlliance.contains($0.stateValue) }
        let rows = chosen.compactMap { pick -> BulkRow? in
            guard let n = visible.first(where: { $0.id == pick.id }) else { return nil }
            return BulkRow(id: pick.id, version: pick.version, name: n.displayName, committee: names[n.$committee.id] ?? "",
                           category: n.categoryValue.label, state: n.stateValue.label, integrity: n.integrityValue?.label ?? "未答复")
        }
        let typed = TextInput.block(input.alliance_opinion ?? "")
        let opinion = typed.isEmpty && input.confirm != "1" ? "同意表彰。" : typed
        let date = input.alliance_opinion_date ?? DayStamp(req.now).description
        func preview(_ errors: [String: String], status: HTTPStatus) async throws -> Response {
            try await req.page("review-approve", title: "批量审核通过",
                               BulkView(rows: rows, count: rows.count, opinion: opinion, date: date, errors: errors), status: status)
        }
        guard !rows.isEmpty else { return try await preview(["form": "请先在审核工作台勾选要通过的推荐对象。"], status: .unprocessableEntity) }
        guard input.confirm == "1" else { return try await preview([:], status: .ok) }

        let checked: NominationTransitions.ApproveInput
        switch NominationTransitions.approveInput(opinion: input.alliance_opinion, date: input.alliance_opinion_date, today: DayStamp(req.now)) {
        case .success(let value): checked = value
        case .failure(let error): return try await preview(error.pageErrors, status: .unprocessableEntity)
        }
        let transitions = try NominationTransitions(req: req)
        // In one order, committee by committee: two bulk approvals at once then take the quota rows' locks
        // in the same order and one waits for the other instead of deadlocking on PostgreSQL.
        let committeeOf = Dictionary(uniqueKeysWithValues: visible.compactMap { n in n.id.map { ($0, (n.$committee.id, n.category)) } })
        let batch = rows.sorted { (committeeOf[$0.id]?.0 ?? 0, committeeOf[$0.id]?.1 ?? "", $0.id) < (committeeOf[$1.id]?.0 ?? 0, committeeOf[$1.id]?.1 ?? "", $1.id) }
            .map { ($0.id, $0.version, $0.name) }
        do {
            try await req.write { db in
                for (id, version, name) in batch {
                    do {
                        try await transitions.approve(id, expectedVersion: version, checked, in: db)
                    } catch let error as TransitionError {
                        throw BulkRefused(name: name, error: error)
                    }
                }
            }
        } catch let refused as BulkRefused {
            let reason = refused.error.pageErrors["form"] ?? refused.error.pageErrors.values.first ?? ""
            return try await preview(["form": "未作任何修改：“\(refused.name)”不能通过——\(reason)请从列表中去掉它，或处理后再批量通过。"],
                                     status: .conflict)
        }
        return req.redirect(to: "/review?approved=\(rows.count)")
    }

    /// Rolls the whole batch back, naming the nomination that could not be approved.
    struct BulkRefused: Error {
        let name: String
        let error: TransitionError
    }
}
