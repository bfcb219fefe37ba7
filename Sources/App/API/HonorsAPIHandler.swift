import Fluent
import Foundation
import HonorsAPI
import HonorsCore
import OpenAPIVapor
import Vapor

/// The operations of `openapi.yaml` (`APIProtocol`, generated into `Sources/HonorsAPI`), answered by the same
/// services as the pages: `NominationListing`, `NominationService`, `NominationTransitions`, `QuotaTable`,
/// `HonourList`. The token's holder is the request's user (`APIGate`); errors are thrown and become the
/// contract's problems there.
struct HonorsAPIHandler: APIProtocol {
    /// Registers the operations under `/api/v1`, behind the gate.
    static func register(on app: Application) throws {
        let transport = VaporTransport(routesBuilder: app.grouped(APIGate()))
        try HonorsAPIHandler().registerHandlers(on: transport, serverURL: URL(string: "/api/v1")!)
    }

    func getToken(_ input: Operations.GetToken.Input) async throws -> Operations.GetToken.Output {
        let req = try Request.api
        let user = try req.requireUser()
        guard let token = try await APIToken.find(user.apiToken ?? 0, on: req.db) else { throw Abort(.unauthorized) }
        let committee = try await token.committeeID.asyncMap { try await Committee.find($0, on: req.db)?.name } ?? nil
        return .ok(.init(body: .json(.init(name: token.name, scope: token.scopeValue == .committee ? .committee : .alliance,
                                           committeeId: token.committeeID, committee: committee, write: token.canWrite,
                                           expiresAt: token.expiresAt))))
    }

    func listCampaigns(_ input: Operations.ListCampaigns.Input) async throws -> Operations.ListCampaigns.Output {
        let req = try Request.api
        let campaigns = try await Campaign.query(on: req.db).sort(\.$issuedOn, .descending).sort(\.$id, .descending).limit(100).all()
        return .ok(.init(body: .json(try campaigns.map { campaign in
            .init(id: try campaign.requireID(), documentNumber: campaign.documentNumber, title: campaign.title,
                  awardYear: campaign.awardYear, issuedOn: campaign.issuedOn, deadlineOn: campaign.deadlineOn,
                  open: campaign.isOpen(at: req.now), closed: campaign.closedAt != nil)
        })))
    }

    func getQuotas(_ input: Operations.GetQuotas.Input) async throws -> Operations.GetQuotas.Output {
        let req = try Request.api
        let campaign = try await Self.campaign(input.path.campaignId, req: req)
        let table = try await QuotaTable.load(campaignID: try campaign.requireID(), for: try req.requireUser(), at: req.now, on: req.db)
        return .ok(.init(body: .json(table.rows.flatMap { row in
            row.cells.compactMap { cell -> Components.Schemas.QuotaLine? in
                guard let category = Components.Schemas.Category(rawValue: cell.category) else { return nil }
                return .init(committeeId: row.committeeID, committee: row.committeeName, category: category,
                             guiding: cell.guiding, granted: cell.granted, used: cell.used)
            }
        })))
    }

    func listCommended(_ input: Operations.ListCommended.Input) async throws -> Operations.ListCommended.Output {
        let req = try Request.api
        let campaign = try await Self.campaign(input.path.campaignId, req: req)
        guard campaign.closedAt != nil else {
            throw ExplainedRefusal(status: .conflict, title: "推荐活动尚未结束", message: "表彰名单在推荐活动结束归档后提供。")
        }
        let user = try req.requireUser()
        let list = try await HonourList.load(campaignID: try campaign.requireID(), states: [.commended], on: req.db)
        let certificates = Dictionary(try await Certificate.query(on: req.db).filter(\.$campaign.$id == campaign.requireID())
            .all().map { ($0.$nomination.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        let visible = try await Nomination.query(on: req.db).filter(\.$id ~~ list.entries.map(\.id)).field(\.$id).field(\.$committee.$id)
            .all().filter { user.canSee(committeeID: $0.$committee.id) }.compactMap(\.id)
        return .ok(.init(body: .json(list.entries.filter { visible.contains($0.id) }.map { entry in
            .init(nominationId: entry.id, name: entry.name, category: .init(entry.category), committee: entry.committee,
                  certificate: certificates[entry.id] ?? "")
        })))
    }

    /// A campaign by its number, or not found.
    static func campaign(_ id: Int, req: Request) async throws -> Campaign {
        guard let campaign = try await Campaign.find(id, on: req.db) else { throw Abort(.notFound) }
        return campaign
    }
}

extension Components.Schemas.Category {
    init(_ category: NominationCategory) {
        switch category {
        case .org: self = .org
        case .member: self = .member
        case .worker: self = .worker
        }
    }
}
