import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// Committee pages. A committee operator sees only their own committee; anyone else's is "not found".
struct CommitteeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("committees", ":committeeID", use: show)
    }

    /// Alliance routes: the list (admin and reviewer) and adding a committee (admin).
    struct Alliance: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("committees", use: list)
        }
    }

    struct Admin: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.post("committees", use: create)
        }
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let accounts: Int
    }

    struct ListView: Encodable {
        let rows: [Row]
        let name: String
        let errors: [String: String]
        /// The new-committee form's `CreationKey`.
        let creationKey: String
    }

    static func listView(req: Request, name: String = "", errors: [String: String] = [:], creationKey: CreationKey? = nil,
                         status: HTTPStatus = .ok) async throws -> Response {
        let committees = try await Committee.query(on: req.db).field(\.$id).field(\.$name).sort(\.$sortOrder).all()
        let accounts = try await accountCounts(on: req.db)
        let rows = try committees.map { committee in
            let id = try committee.requireID()
            return Row(id: id, name: committee.name, accounts: accounts[id] ?? 0)
        }
        return try await req.page("committees", title: "行业党委", ListView(rows: rows, name: name, errors: errors,
                                                                          creationKey: creationKey?.value ?? CreationKey.draw()),
                                  status: status)
    }

    /// Committee id → its accounts, in one query.
    private static func accountCounts(on db: any Database) async throws -> [Int: Int] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select()
            .column("committee_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "accounts")
            .from(User.schema).where("committee_id", .isNot, SQLLiteral.null).groupBy("committee_id").all()
        var counts: [Int: Int] = [:]
        for row in rows { counts[try row.decode(column: "committee_id", as: Int.self)] = try row.decode(column: "accounts", as: Int.self) }
        return counts
    }

    struct AccountRow: Encodable {
        let username: String
        let displayName: String
        let active: Bool
    }

    struct ShowView: Encodable {
        let id: Int
        let name: String
        let campaign: CampaignController.Summary?
        let quotas: QuotaTable?
        let accounts: [AccountRow]
    }

    @Sendable func show(req: Request) async throws -> View {
        let user = try req.requireUser()
        let id = try req.intParameter("committeeID")
        try user.requireCanSee(committeeID: id)
        guard let committee = try await Committee.find(id, on: req.db) else { throw Abort(.notFound) }
        let now = req.now
        let current = CampaignHeader.current(among: try await CampaignHeader.recent(on: req.db), now: now)
        var table: QuotaTable?
        if let current {
            // The committee page shows this committee's row, whoever looks.
            table = try await QuotaTable.load(campaignID: current.id, onlyCommittee: id, at: req.now, on: req.db)
        }
        let accounts = try await User.query(on: req.db).filter(\.$committee.$id == id).sort(\.$username).all()
            .map { AccountRow(username: $0.username, displayName: $0.displayName, active: $0.active) }
        return try await req.page("committee", title: committee.name, ShowView(
            id: id, name: committee.name, campaign: current.map { CampaignController.summary($0, now: now) },
            quotas: table, accounts: accounts))
    }
}

extension CommitteeController.Alliance {
    @Sendable func list(req: Request) async throws -> Response {
        try await CommitteeController.listView(req: req)
    }
}

extension CommitteeController.Admin {
    struct Input: Content {
        var name: String?
        var creation_key: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self), creationKey = CreationKey(input.creation_key)
        let name = TextInput.line(input.name ?? "")
        var error: String?
        if name.isEmpty { error = "请填写行业党委名称。" }
        else if name.count > 100 { error = "名称最多 100 个字。" }
        else if try await Committee.query(on: req.db).filter(\.$name == name).count() > 0 {
            error = "已有同名的行业党委。"
        }
        if let error {
            // Sent again after the committee was made (its name now "taken" by the first send): the list.
            if try await req.madeBefore(creationKey, .committee) != nil { return req.redirect(to: "/committees") }
            return try await CommitteeController.listView(req: req, name: name, errors: ["name": error],
                                                          creationKey: creationKey, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now
        _ = try await req.application.createOnce(creationKey, .committee, by: try req.requireUser().id, on: req.db, now: now) { db in
            let last = try await Committee.query(on: db).max(\.$sortOrder) ?? 0
            let committee = Committee(name: name, sortOrder: last + 1)
            try await committee.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "committee.create", objectType: "committee",
                                   objectID: committee.id.map(String.init), objectLabel: name,
                                   committeeID: committee.id, changes: [FieldChange("name", old: nil, new: name)],
                                   at: now)
            return try committee.requireID()
        }
        return req.redirect(to: "/committees")
    }
}
