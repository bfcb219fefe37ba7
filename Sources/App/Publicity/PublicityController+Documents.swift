import Fluent
import Foundation
import HonorsCore
import Vapor

/// The 公示 notice, the 表彰决定 (docx, PDF, xlsx) and the certificates, as files to download.
extension PublicityController {
    private func noticeData(_ req: Request) async throws -> (Campaign, Data) {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        guard let publicity = try await Publicity.of(campaign: campaignID, on: req.db) else { throw Abort(.notFound) }
        let list = try await HonourList.load(campaignID: campaignID, states: [.publicizing, .cleared, .commended], on: req.db)
        let today = DayStamp(publicity.startedAt)
        let data = try await req.application.threadPool.runIfActive {
            try CommendationDocuments.publicityNotice(campaign: campaign, publicity: publicity, list: list, issuedOn: today)
        }
        try await req.recordOutput("document.publicity_notice", objectType: "campaign", objectID: "\(campaignID)",
                                   label: campaign.documentNumber, changes: [FieldChange("rows", old: nil, new: "\(list.entries.count)")])
        return (campaign, data)
    }

    private func issued(_ req: Request) async throws -> (Campaign, Commendation, HonourList, [Certificate]) {
        let campaign = try await Self.campaign(req)
        let campaignID = try campaign.requireID()
        guard let commendation = try await Commendation.of(campaign: campaignID, on: req.db) else { throw Abort(.notFound) }
        let list = try await HonourList.load(campaignID: campaignID, states: [.commended], on: req.db)
        let certificates = try await Certificate.query(on: req.db).filter(\.$campaign.$id == campaignID)
            .sort(\.$category).sort(\.$sequence).all()
        return (campaign, commendation, list, certificates)
    }

    private func decisionData(_ req: Request) async throws -> (DecisionText, Data) {
        let (campaign, commendation, list, _) = try await issued(req)
        let text = commendation.text
        let data = try await req.application.threadPool.runIfActive { try CommendationDocuments.decision(campaign: campaign, text: text, list: list) }
        try await req.recordOutput("document.decision", objectType: "campaign", objectID: "\(try campaign.requireID())", label: text.number)
        return (text, data)
    }

    @Sendable func decisionXlsx(req: Request) async throws -> Response {
        let (campaign, commendation, list, certificates) = try await issued(req)
        let text = commendation.text
        let numbers = Dictionary(uniqueKeysWithValues: certificates.map { ($0.$nomination.id, $0.number) })
        let data = try await req.application.threadPool.runIfActive {
            try CommendationDocuments.decisionWorkbook(text: text, list: list, certificates: numbers)
        }
        try await req.recordOutput("document.decision_list", objectType: "campaign", objectID: "\(try campaign.requireID())", label: text.number)
        return Download.response(data, filename: "\(text.title)（名单）.xlsx", contentType: Download.xlsx)
    }

    private func certificateData(_ req: Request) async throws -> (Campaign, Data) {
        let (campaign, commendation, _, certificates) = try await issued(req)
        let order = Dictionary(uniqueKeysWithValues: NominationCategory.allCases.enumerated().map { ($1, $0) })
        let lines = certificates.sorted { (order[$0.categoryValue] ?? 0, $0.sequence) < (order[$1.categoryValue] ?? 0, $1.sequence) }
            .map { CommendationDocuments.CertificateLine(number: $0.number, category: $0.categoryValue, name: $0.displayName) }
        let text = commendation.text
        let data = try await req.application.threadPool.runIfActive {
            try CommendationDocuments.certificates(campaign: campaign, text: text, lines: lines)
        }
        try await req.recordOutput("document.certificates", objectType: "campaign", objectID: "\(try campaign.requireID())",
                                   label: text.number, changes: [FieldChange("rows", old: nil, new: "\(lines.count)")])
        return (campaign, data)
    }

    /// A generated Word document, or the PDF LibreOffice makes of it (asked before anything is generated).
    private func deliver(_ req: Request, pdf: Bool, name: String, _ make: () async throws -> Data) async throws -> Response {
        if pdf, !req.application.pdf.available { throw Abort(.serviceUnavailable, reason: "pdf") }
        let docx = try await make()
        guard pdf else { return Download.response(docx, filename: name + ".docx", contentType: Download.docx) }
        let converted = try await req.application.pdf.convert(docx, fileExtension: "docx")
        return Download.response(converted, filename: name + ".pdf", contentType: "application/pdf")
    }

    @Sendable func notice(req: Request, pdf: Bool) async throws -> Response {
        let campaign = try await Self.campaign(req)
        return try await deliver(req, pdf: pdf, name: "拟表彰对象公示（\(campaign.awardYear)年度）") { try await noticeData(req).1 }
    }

    @Sendable func decision(req: Request, pdf: Bool) async throws -> Response {
        guard let commendation = try await Commendation.of(campaign: try await Self.campaign(req).requireID(), on: req.db)
        else { throw Abort(.notFound) }
        return try await deliver(req, pdf: pdf, name: commendation.title) { try await decisionData(req).1 }
    }

    @Sendable func certificates(req: Request, pdf: Bool) async throws -> Response {
        let campaign = try await Self.campaign(req)
        return try await deliver(req, pdf: pdf, name: "荣誉证书（\(campaign.awardYear)年度）") { try await certificateData(req).1 }
    }
}
