import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// `GET /integrity`: the nominees under review and their 纪检 replies, and the request letter
/// (`GET /integrity/letter.docx`, `letter.pdf`) for a campaign or one committee. Alliance staff only.
struct IntegrityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("integrity", use: page)
        routes.get("integrity", "letter.docx", use: letterDocx)
        routes.get("integrity", "letter.pdf", use: letterPDF)
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let committee: String
        let category: String
        let state: String
        let result: String
        let resultKey: String
    }

    struct PageView: Encodable {
        let campaign: String
        let campaignID: Int
        let committees: [SelectOption]
        let committee: Int?
        let rows: [Row]
        let pageInfo: PageInfo
        let pending: Int
        let addressee: String
        let replyBy: String
        let pdfAvailable: Bool
    }

    static let defaultAddressee = "市纪委监委"

    /// The states a letter lists and the page shows: with the alliance, or returned for fixing.
    static let states = NominationWorkflow.underReview.map(\.rawValue)

    /// The nominees under review in a campaign (one committee of it, when given) that `user` may see.
    static func underReview(campaignID: Int, committee: Int?, for user: CurrentUser, on db: any Database) -> QueryBuilder<Nomination> {
        var query = Nomination.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$state ~~ states)
            .hidingRecused(from: user, committee: \.$committee.$id)
            .sort(\.$committee.$id).sort(\.$category).sort(\.$id)
        if let committee { query = query.filter(\.$committee.$id == committee) }
        return query
    }

    @Sendable func page(req: Request) async throws -> View {
        let user = try req.requireUser()
        // The letter prints the campaign's contact and rules: the whole record.
        let campaignID = try await ReviewQueueController.campaign(req).id
        guard let campaign = try await Campaign.find(campaignID, on: req.db) else { throw Abort(.notFound) }
        let committee = req.queryInt("committee").flatMap { user.canSee(committeeID: $0) ? $0 : nil }
        let query = Self.underReview(campaignID: campaignID, committee: committee, for: user, on: req.db)
            .field(\.$id).field(\.$displayName).field(\.$committee.$id).field(\.$category).field(\.$state).field(\.$integrityResult)
        let pending = try await query.copy().filter(\.$integrityResult == nil).count()
        let (items, pageInfo) = try await PageInfo.fetch(query, req: req, baseQuery: "campaign=\(campaignID)" + (committee.map { "&committee=\($0)" } ?? ""))
        let names = try await Committee.names(on: req.db)
        let rows = try items.map { n in
            Row(id: try n.requireID(), name: n.displayName, committee: names[n.$committee.id] ?? "", category: n.categoryValue.label,
                state: n.stateValue.label, result: n.integrityValue?.label ?? "未答复", resultKey: n.integrityResult ?? "none")
        }
        return try await req.page("integrity", title: "征求纪检意见", PageView(
            campaign: campaign.documentNumber, campaignID: campaignID,
            committees: try await Committee.options(for: user, selected: committee, on: req.db),
            committee: committee, rows: rows, pageInfo: pageInfo, pending: pending, addressee: Self.defaultAddressee,
            replyBy: try await WorkingCalendar.load(on: req.db).adding(workingDays: 5, to: DayStamp(req.now)).description,
            pdfAvailable: req.application.pdf.available))
    }

    /// The letter for `?campaign=` (and `?committee=`), listing nominees without a reply unless `?all=1`.
    private func letter(_ req: Request) async throws -> IntegrityLetter {
        let user = try req.requireUser()
        // The letter prints the campaign's contact and rules: the whole record.
        let campaignID = try await ReviewQueueController.campaign(req).id
        guard let campaign = try await Campaign.find(campaignID, on: req.db) else { throw Abort(.notFound) }
        let committee = req.queryInt("committee")
        if let committee, !user.canSee(committeeID: committee) { throw Abort(.notFound) }
        var query = Self.underReview(campaignID: campaignID, committee: committee, for: user, on: req.db)
        if req.queryValue("all") != "1" { query = query.filter(\.$integrityResult == nil) }
        let names = try await Committee.names(on: req.db)
        let nominees = try await query.all().map { n -> IntegrityLetter.Nominee in
            let v = n.values
            let person = n.categoryValue.isPerson
            return IntegrityLetter.Nominee(
                name: n.displayName, gender: person ? v["gender"] ?? "" : "—", birthMonth: person ? v["birth_month"] ?? "" : "—",
                unitAndPosition: person ? v["unit_and_position"] ?? "" : v["org_unit"] ?? "", category: n.categoryValue,
                committee: names[n.$committee.id] ?? "")
        }
        let addressee = String(TextInput.line(req.queryValue("addressee") ?? "").prefix(50))
        let standard = try await WorkingCalendar.load(on: req.db).adding(workingDays: 5, to: DayStamp(req.now))
        let replyBy = req.queryValue("reply_by").flatMap(DayStamp.init).flatMap { $0 > DayStamp(req.now) ? $0 : nil } ?? standard
        let letter = IntegrityLetter(campaign: campaign, addressee: addressee.isEmpty ? Self.defaultAddressee : addressee,
                                     replyBy: replyBy, nominees: nominees, issuedOn: DayStamp(req.now))
        try await req.recordOutput("document.integrity_letter", objectType: "campaign", objectID: "\(campaignID)",
                                   label: campaign.documentNumber,
                                   changes: [FieldChange("rows", old: nil, new: "\(nominees.count)")])
        return letter
    }

    @Sendable func letterDocx(req: Request) async throws -> Response {
        let letter = try await letter(req)
        let data = try await req.application.threadPool.runIfActive { try letter.make() }
        return Download.response(data, filename: "征求纪检意见函（\(letter.campaign.documentNumber)）.docx", contentType: Download.docx)
    }

    @Sendable func letterPDF(req: Request) async throws -> Response {
        guard req.application.pdf.available else { throw Abort(.serviceUnavailable, reason: "pdf") }
        let letter = try await letter(req)
        let docx = try await req.application.threadPool.runIfActive { try letter.make() }
        let pdf = try await req.application.pdf.convert(docx, fileExtension: "docx")
        return Download.response(pdf, filename: "征求纪检意见函（\(letter.campaign.documentNumber)）.pdf", contentType: "application/pdf")
    }
}
