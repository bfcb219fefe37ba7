@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Everything that takes data out of Honors, and every upload, leaves an event on the chain naming who, what
/// and which record: an inspection can list who saw a nominee's full ID number.
@Suite("Audit coverage")
struct AuditCoverageTests {
    static func count(_ action: String, _ app: Application) async throws -> Int {
        try await AuditEvent.query(on: app.db).filter(\.$action == action).count()
    }

    @Test("every download, export, package, scan view and upload is one event on the chain, by its actor")
    func everyOutput() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            #expect(try await Self.count("nomination.photo", app) == 1)
            #expect(try await Self.count("nomination.scan", app) == 1)

            // The 纪检 reply with its scanned letter: the upload is named in the event.
            let reply = try await desk.reviewer.upload(
                "/nominations/\(desk.id)/integrity", field: "reply_scan", filename: "答复.png",
                data: Samples.png(width: 1240, height: 1754), contentType: "image/png",
                fields: [("integrity_result", "clear"), ("integrity_note", ""), ("reply_date", "2024-05-20")])
            #expect(reply.status == .seeOther, "\(reply.status)")
            let integrity = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.integrity").first())
            let replyFile = try #require(integrity.fieldChanges.first { $0.field == "reply_scan" }?.new)

            let scan = try #require(try await NominationScan.query(on: app.db).filter(\.$nomination.$id == desk.id).first())
            let scanFile = try #require(scan.fileList.first?.stored)
            let packageID = try await PackageTests.build(desk.kuaidi, app: app)

            let outputs: [(Browser, String, String, String)] = [
                (desk.kuaidi, "kuaidi", "/nominations/\(desk.id)/form.docx", "document.form"),
                (desk.admin, "boss", "/nominations/\(desk.id)/scan/\(scanFile)", "document.scan"),
                (desk.admin, "boss", "/nominations/\(desk.id)/integrity/\(replyFile)", "document.integrity_reply"),
                (desk.reviewer, "rev", "/campaigns/1/summary.xlsx", "document.summary"),
                (desk.admin, "boss", "/campaigns/1/summary.xlsx", "document.summary_full"),
                (desk.reviewer, "rev", "/campaigns/1/quotas.docx", "document.quotas"),
                (desk.reviewer, "rev", "/campaigns/1/composition.xlsx", "document.composition"),
                (desk.admin, "boss", "/integrity/letter.docx?campaign=1", "document.integrity_letter"),
                (desk.kuaidi, "kuaidi", "/packages/\(packageID)/download", "document.package_download"),
                (desk.admin, "boss", "/admin/audit.xlsx", "document.audit_export"),
            ]
            for (browser, username, path, action) in outputs {
                let before = try await Self.count(action, app)
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path): \(response.status)")
                #expect(try await Self.count(action, app) == before + 1, "\(path) is on the chain as \(action)")
                let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == action)
                    .sort(\.$id, .descending).first())
                #expect(event.actorName == username, "\(path): the event names who downloaded")
                #expect(Audit.actionLabels[action] != nil, "\(action) has a Chinese name on the audit page")
            }
            // Refused or not found: nothing left the server, nothing recorded.
            let before = try await AuditEvent.query(on: app.db).count()
            let wuye = try await Flow.signedIn(app, "wuye", role: .committee, committee: "市物业行业党委")
            let signedIn = try await AuditEvent.query(on: app.db).count()
            #expect(try await wuye.get("/nominations/\(desk.id)/scan/\(scanFile)").status == .notFound)
            #expect(try await desk.kuaidi.get("/nominations/\(desk.id)/integrity/\(replyFile)").status == .notFound)
            #expect(try await desk.admin.get("/nominations/\(desk.id)/scan/nothing.png").status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).count() == signedIn, "after \(signedIn - before) sign-in events")
            // The committee's history of its nomination leaves out the alliance's own 纪检 reply.
            let history = try await desk.kuaidi.get("/nominations/\(desk.id)/history").body.string
            #expect(history.contains(Audit.actionLabels["document.scan"]!))
            #expect(!history.contains(Audit.actionLabels["document.integrity_reply"]!))
        }
    }

    @Test("the audit page names states, roles and settings in Chinese; the chain keeps the codes")
    func readableValues() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let page = try await desk.admin.get("/admin/audit")
            #expect(page.text.contains("<del>草稿</del> → <ins>已上报</ins>"))
            #expect(page.text.contains("<ins>联盟审核人员</ins>"), "the reviewer's account created with its role's name")
            #expect(!page.text.contains("<ins>submitted</ins>") && !page.text.contains("<ins>reviewer</ins>"))
            let stored = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "nomination.submit").first())
            #expect(stored.fieldChanges.first { $0.field == "state" }?.new == "submitted")
        }
    }
}
