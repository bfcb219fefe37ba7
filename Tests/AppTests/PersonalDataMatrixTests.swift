@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// Every output that carries a nominee's ID number and phone, read as each kind of visitor receives it: the
/// page, the approval form, the 汇总表, the material package and the stamped scan give exactly what
/// `PersonalDataPolicy` says (full, masked or nothing), found by reading the returned file.
@Suite("Personal data in every output")
struct PersonalDataMatrixTests {
    static let idNumber = Samples.idNumber()
    static let phone = "18647176667"

    /// What a text shows of the nominee: both numbers in full, both masked, or neither; nil when it mixes them.
    static func shown(in text: String) -> Disclosure? {
        let full = text.contains(idNumber) || text.contains(phone)
        let masked = text.contains(IDNumber.mask(idNumber)) || text.contains(try! PhoneNumber(phone).masked)
        switch (full, masked) {
        case (true, false): return text.contains(idNumber) && text.contains(phone) ? .full : nil
        case (false, true): return .masked
        case (false, false): return .refused
        case (true, true): return nil
        }
    }

    static func docxText(_ data: Data) throws -> String {
        let contents = try DocxReader.read(data)
        return (contents.paragraphs + contents.tables.flatMap { $0.flatMap { $0.map(\.text) } }).joined(separator: "\n")
    }

    static func xlsxText(_ data: Data) throws -> String {
        try XlsxReader.read(data).sheets.flatMap { $0.rows.flatMap { $0 } }.joined(separator: "\n")
    }

    /// What one visitor receives of each output.
    static func received(_ browser: Browser, id: Int, scanFile: String, app: Application) async throws -> [PersonalDataOutput: Disclosure?] {
        var out: [PersonalDataOutput: Disclosure?] = [:]
        let page = try await browser.get("/nominations/\(id)")
        out[.page] = page.status == .ok ? shown(in: page.body.string) : .refused
        let form = try await browser.get("/nominations/\(id)/form.docx")
        out[.form] = form.status == .ok ? shown(in: try docxText(Data(buffer: form.body))) : .refused
        let summary = try await browser.get("/campaigns/1/summary.xlsx")
        out[.summary] = summary.status == .ok ? shown(in: try xlsxText(Data(buffer: summary.body))) : .refused
        let scan = try await browser.get("/nominations/\(id)/scan/\(scanFile)")
        out[.scan] = scan.status == .ok ? .full : .refused
        // The package: its forms and 汇总表 read, its scans looked for.
        let job = try await PackageTests.build(browser, app: app)
        let download = try await browser.get("/packages/\(job)/download")
        #expect(download.status == .ok)
        let zip = try ZipPackage.read(Data(buffer: download.body))
        var texts: [String] = []
        for path in zip.paths {
            if path.hasSuffix(".docx"), let data = zip[path] { texts.append(try docxText(data)) }
            if path.hasSuffix(".xlsx"), let data = zip[path] { texts.append(try xlsxText(data)) }
        }
        let hasScan = zip.paths.contains { $0.contains("盖章扫描件") }
        let package = shown(in: texts.joined(separator: "\n"))
        out[.package] = package == .full && !hasScan ? nil : package == .masked && hasScan ? nil : package
        return out
    }

    @Test("own committee and administrator: full on paper, masked on screen; a reviewer masked and no scans unless granted; others nothing")
    func matrix() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let scan = try #require(try await NominationScan.query(on: app.db).filter(\.$nomination.$id == desk.id).first())
            let scanFile = try #require(scan.fileList.first?.stored)
            let wuye = try await Flow.signedIn(app, "wuye", role: .committee, committee: "市物业行业党委")
            let granted = try await Flow.signedIn(app, "rev2", role: .reviewer)
            let recused = try await Flow.signedIn(app, "rev3", role: .reviewer)
            let kuaidiID = try await app.committeeID("市快递行业党委")
            let rev3 = try #require(try await User.query(on: app.db).filter(\.$username == "rev3").first()).requireID()
            try await ReviewerRecusal(userID: rev3, committeeID: kuaidiID).create(on: app.db)

            // The administrator grants rev2 the reveal on the account page, on record.
            let rev2 = try #require(try await User.query(on: app.db).filter(\.$username == "rev2").first())
            let grant = try await desk.admin.post("/admin/users/\(rev2.id!)", [
                ("display_name", "rev2"), ("role", "reviewer"), ("committee_id", ""), ("reveal_personal_data", "1"),
                ("version", "\(rev2.version)")])
            #expect(grant.status == .seeOther, "\(grant.status)")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "account.update")
                .filter(\.$objectLabel == "rev2").first())
            #expect(event.fieldChanges.contains { $0.field == "reveal_personal_data" && $0.new == "是" })

            let expected: [(String, Browser, [PersonalDataOutput: Disclosure])] = [
                ("own committee", desk.kuaidi, [.page: .masked, .form: .full, .summary: .full, .package: .full, .scan: .full]),
                ("administrator", desk.admin, [.page: .masked, .form: .full, .summary: .full, .package: .full, .scan: .full]),
                ("reviewer", desk.reviewer, [.page: .masked, .form: .masked, .summary: .masked, .package: .masked, .scan: .refused]),
                ("granted reviewer", granted, [.page: .masked, .form: .full, .summary: .full, .package: .full, .scan: .full]),
                ("recused reviewer", recused, [.page: .refused, .form: .refused, .summary: .refused, .package: .refused, .scan: .refused]),
                ("other committee", wuye, [.page: .refused, .form: .refused, .summary: .refused, .package: .refused, .scan: .refused]),
            ]
            for (who, browser, outputs) in expected {
                let got = try await Self.received(browser, id: desk.id, scanFile: scanFile, app: app)
                // The API is read with tokens, not by these browsers: `APITests` reads it, `table()` holds its row.
                for output in PersonalDataOutput.allCases where output != .api {
                    #expect(got[output] == outputs[output], "\(who), \(output): got \(String(describing: got[output]))")
                }
            }
            // The reviewer's page names the scan but does not link it.
            let page = try await desk.reviewer.get("/nominations/\(desk.id)").body.string
            #expect(!page.contains("/scan/\(scanFile)") && page.contains("须经联盟管理员授权方可查看"))
        }
    }

    @Test("a package built in full cannot be downloaded once the reveal is withdrawn")
    func withdrawnGrant() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let reviewer = try #require(try await User.query(on: app.db).filter(\.$username == "rev").first())
            try await User.query(on: app.db).filter(\.$id == reviewer.id!).set(\.$revealPersonalData, to: true).update()
            let job = try await PackageTests.build(desk.reviewer, app: app)
            #expect(try #require(try await PackageJob.find(job, on: app.db)).fullPersonalData)
            try await User.query(on: app.db).filter(\.$id == reviewer.id!).set(\.$revealPersonalData, to: false).update()
            let refused = try await desk.reviewer.get("/packages/\(job)/download")
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("无权下载"))
        }
    }

    @Test("the fingerprint a masked viewer sees cannot be rebuilt from the fields: each nomination's secret salt is in it")
    func saltedFingerprint() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let nomination = try #require(try await Nomination.find(desk.id, on: app.db))
            let salt = try #require(nomination.fingerprintSalt)
            #expect(salt.count == 32)
            let values = nomination.values.merging(try NominationService.personalData(of: nomination, secrets: app.secrets)) { $1 }
            let shown = try await Flow.fingerprint(desk.id, app)
            // Every field known, the ID number and phone guessed right: without the salt, still no match.
            #expect(FormFingerprint.of(category: .member, values: values, photo: nomination.photoFile, salt: nil) != shown)
            #expect(FormFingerprint.of(category: .member, values: values, photo: nomination.photoFile, salt: salt) == shown)
            let page = try await desk.reviewer.get("/nominations/\(desk.id)").body.string
            #expect(!page.contains(salt), "the salt is never shown")
            let other = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "李四", id: Samples.idNumber(sequence: 311)))
            #expect(try await Nomination.find(other, on: app.db)?.fingerprintSalt != salt, "one salt per nomination")
        }
    }

    @Test("the policy table as docs/security.md prints it")
    func table() {
        let full = PersonalDataOutput.allCases.filter { $0 != .page && $0 != .api }
        for relation in [ActorRelation.ownCommittee, .administrator, .reviewer] {
            // What another system reads back it may show anywhere: masked, as a page, even with a reveal.
            #expect(PersonalDataPolicy.disclosure(relation, output: .api, revealGranted: true) == .masked)
        }
        #expect(PersonalDataPolicy.disclosure(.otherCommittee, output: .api, revealGranted: false) == .refused)
        for relation in [ActorRelation.ownCommittee, .administrator] {
            #expect(PersonalDataPolicy.disclosure(relation, output: .page, revealGranted: false) == .masked)
            #expect(full.allSatisfy { PersonalDataPolicy.disclosure(relation, output: $0, revealGranted: false) == .full })
        }
        #expect(PersonalDataPolicy.disclosure(.reviewer, output: .form, revealGranted: false) == .masked)
        #expect(PersonalDataPolicy.disclosure(.reviewer, output: .scan, revealGranted: false) == .refused)
        #expect(PersonalDataPolicy.disclosure(.reviewer, output: .scan, revealGranted: true) == .full)
        for output in PersonalDataOutput.allCases {
            #expect(PersonalDataPolicy.disclosure(nil, output: output, revealGranted: true) == .refused, "the public")
            #expect(PersonalDataPolicy.disclosure(.otherCommittee, output: output, revealGranted: true) == .refused)
            #expect(PersonalDataPolicy.disclosure(.recusedReviewer, output: output, revealGranted: true) == .refused)
        }
    }
}
