import Fluent
import Foundation
import Vapor

/// Material packages: asked for on a campaign's package page, built in the background, followed on the
/// package's own page and downloaded from there. A committee operator packages their own committee; the
/// alliance any committee or the whole campaign.
struct PackageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("campaigns", ":campaignID", "packages", use: list)
        routes.post("campaigns", ":campaignID", "packages", use: create)
        routes.get("packages", ":packageID", use: show)
        routes.get("packages", ":packageID", "status", use: status)
        routes.get("packages", ":packageID", "download", use: download)
    }

    /// Without news for this long a running job is taken as interrupted (its instance stopped); progress is
    /// saved at least every few seconds while it works.
    static let stalledAfter: TimeInterval = 10 * 60
    /// A queued job waits behind the packages before it; one that has waited this long will not start.
    static let abandonedAfter: TimeInterval = 3 * 3600

    struct ListView: Encodable {
        let campaignID: Int
        let campaign: String
        let jobs: [JobView]
        let hasJobs: Bool
        let committees: [SelectOption]
        let seesAll: Bool
        let pdfAvailable: Bool
        let error: String?
    }

    private func campaign(_ req: Request) async throws -> Campaign {
        guard let campaign = try await Campaign.find(try req.intParameter("campaignID"), on: req.db) else { throw Abort(.notFound) }
        return campaign
    }

    private func render(_ req: Request, campaign: Campaign, error: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        // A package holds what its requester may see (`PersonalDataPolicy`): it is theirs alone.
        let query = PackageJob.query(on: req.db).filter(\.$campaign.$id == campaign.id!).filter(\.$requestedBy == user.username)
            .with(\.$committee).sort(\.$id, .descending).limit(20)
        let jobs = try await query.all().map { try jobView($0, req: req) }
        let committees = user.role.seesAllCommittees ? try await Committee.options(for: user, selected: nil, on: req.db) : []
        let view = ListView(campaignID: campaign.id!, campaign: campaign.documentNumber, jobs: jobs, hasJobs: !jobs.isEmpty,
                            committees: committees, seesAll: user.role.seesAllCommittees, pdfAvailable: req.application.pdf.available,
                            error: error)
        return try await req.page("packages", title: "材料包 · \(campaign.documentNumber)", view, status: status)
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await render(req, campaign: try await campaign(req))
    }

    struct CreateInput: Content {
        var committee_id: String?
        var pdf: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let campaign = try await campaign(req)
        let input = try req.content.decode(CreateInput.self)
        let committeeID: Int?
        if user.role.seesAllCommittees {
            let text = input.committee_id ?? ""
            if text.isEmpty {
                committeeID = nil
            } else if let id = Int(text), user.canSee(committeeID: id), try await Committee.find(id, on: req.db) != nil {
                committeeID = id
            } else {
                return try await render(req, campaign: campaign, error: "请选择行业党委或“全部行业党委”。", status: .unprocessableEntity)
            }
        } else {
            committeeID = user.committeeID
        }
        // The same package asked for again while it is being built: show the one under way.
        let withPDF = input.pdf == "1", full = user.disclosure(.package, committeeID: committeeID) == .full
        var pending = PackageJob.query(on: req.db).filter(\.$campaign.$id == campaign.id!).filter(\.$requestedBy == user.username)
            .filter(\.$withPDF == withPDF).filter(\.$fullPersonalData == full)
            .filter(\.$state ~~ [PackageJob.State.queued.rawValue, PackageJob.State.running.rawValue])
            .filter(\.$updatedAt > req.now.addingTimeInterval(-Self.stalledAfter))
        pending = committeeID.map { pending.filter(\.$committee.$id == $0) } ?? pending.filter(\.$committee.$id == nil)
        if let existing = try await pending.first() { return req.redirect(to: "/packages/\(existing.id!)") }

        let job = PackageJob()
        job.$campaign.id = try campaign.requireID()
        job.$committee.id = committeeID
        job.requestedBy = user.username
        job.withPDF = withPDF
        job.fullPersonalData = full
        job.state = PackageJob.State.queued.rawValue
        job.done = 0
        job.total = 0
        job.updatedAt = req.now
        let actor = req.actor, now = req.now
        try await req.write { db in
            try await job.create(on: db)
            try await Audit.record(on: db, actor: actor, action: "document.package", objectType: "campaign",
                                   objectID: "\(campaign.id!)", objectLabel: campaign.documentNumber, committeeID: committeeID,
                                   changes: [FieldChange("package", old: nil, new: "\(job.id!)")], at: now)
        }
        await req.application.packages.wake(req.application)
        return req.redirect(to: "/packages/\(job.id!)")
    }

    /// A job of the user's own asking; anybody else's is "not found": it was built with its requester's scope.
    private func load(_ req: Request) async throws -> PackageJob {
        let user = try req.requireUser()
        guard let job = try await PackageJob.query(on: req.db).filter(\.$id == req.intParameter("packageID"))
            .with(\.$committee).with(\.$campaign).first(),
              job.requestedBy == user.username else { throw Abort(.notFound) }
        return job
    }

    private func jobView(_ job: PackageJob, req: Request) throws -> JobView {
        try Self.view(job, now: req.now,
                      fileExists: FileManager.default.fileExists(atPath: PackageBuilder.file(req.application, jobID: job.id!).path))
    }

    struct ShowView: Encodable {
        let job: JobView
        let campaignID: Int
        let campaign: String
    }

    @Sendable func show(req: Request) async throws -> View {
        let job = try await load(req)
        return try await req.page("package", title: "材料包", ShowView(job: try jobView(job, req: req), campaignID: job.campaign.id!,
                                                                   campaign: job.campaign.documentNumber))
    }

    /// Progress as JSON for the page's script.
    @Sendable func status(req: Request) async throws -> Response {
        let view = try jobView(try await load(req), req: req)
        let response = try await view.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func download(req: Request) async throws -> Response {
        let job = try await load(req)
        let file = PackageBuilder.file(req.application, jobID: try job.requireID())
        guard job.stateValue == .done, req.now < job.updatedAt.addingTimeInterval(PackageBuilder.keepFor),
              FileManager.default.fileExists(atPath: file.path) else {
            throw Abort(.conflict, reason: "材料包尚未生成完成或已过期，请回到材料包页面查看或重新生成。")
        }
        // A grant withdrawn since the package was built: its full numbers are no longer the requester's to take.
        if job.fullPersonalData, try req.requireUser().disclosure(.package, committeeID: job.$committee.id) != .full {
            throw ExplainedRefusal(status: .forbidden, title: "无权下载",
                                   message: "此材料包含完整身份证号和电话，您现在无权下载；请重新生成材料包。")
        }
        let name = PackageNames.root(campaign: job.campaign, committee: job.committee?.name) + ".zip"
        // The forms inside carry full ID numbers and phones: every download is on record, like a form's.
        try await req.recordOutput("document.package_download", objectType: "package", objectID: "\(try job.requireID())",
                                   label: name, committeeID: job.$committee.id)
        let response = try await req.fileio.asyncStreamFile(at: file.path)
        Download.label(response, filename: name, contentType: "application/zip")
        return response
    }
}

