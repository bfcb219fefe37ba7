@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

@Suite("Material packages")
struct PackageTests {
    /// Asks for a package and waits for the background build; returns the job id.
    static func build(_ browser: Browser, app: Application, form: [(String, String)] = []) async throws -> Int {
        let response = try await browser.post("/campaigns/1/packages", form)
        let location = try #require(response.location, "\(response.status)")
        await app.packages.waitUntilIdle()
        return try #require(Int(location.split(separator: "/").last ?? ""))
    }

    struct Status: Decodable {
        let state: String
        let done: Int
        let total: Int
        let percent: Int
        let ready: Bool
        let note: String?
        let contents: String
        let keptUntil: String?
    }

    static func status(_ browser: Browser, _ id: Int) async throws -> Status {
        let response = try await browser.get("/packages/\(id)/status")
        #expect(response.status == .ok)
        return try JSONDecoder().decode(Status.self, from: Data(buffer: response.body))
    }

    @Test("a committee's package: a folder per nomination with form and photo, the 汇总表 and 附件1, Chinese names in UTF-8; withdrawn ones left out")
    func committeePackage() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let first = try await NominationTests.create(kuaidi, Samples.memberForm(name: "阿卜杜热合曼·𠮷", id: Samples.idNumber(sequence: 101)))
            _ = try await kuaidi.upload("/nominations/\(first)/photo", field: "photo", filename: "p.png",
                                        data: Samples.png(), contentType: "image/png")
            let second = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李/雷", id: Samples.idNumber(sequence: 103)))
            let gone = try await NominationTests.create(kuaidi, Samples.memberForm(name: "撤回者", id: Samples.idNumber(sequence: 105)))
            try await Nomination.query(on: app.db).filter(\.$id == gone).set(\.$state, to: NominationState.withdrawn.rawValue).update()
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            _ = try await NominationTests.create(wuye, Samples.memberForm(name: "物业人", id: Samples.idNumber(sequence: 107)))

            // The committee_id of another committee is ignored for an operator: the package is their own.
            let wuyeID = try await app.committeeID("市物业行业党委")
            let id = try await Self.build(kuaidi, app: app, form: [("committee_id", "\(wuyeID)")])
            let status = try await Self.status(kuaidi, id)
            #expect(status.state == "done" && status.ready && status.percent == 100)
            #expect(status.done == 4 && status.total == 4, "two forms, the 汇总表 and 附件1")
            #expect(status.contents.hasPrefix("审批表（Word）") && status.contents.contains("含完整身份证号"),
                    "the committee's own package is in full: it prints the forms")
            let finished = try #require(try await PackageJob.find(id, on: app.db)).updatedAt
            #expect(status.keptUntil == DateFormatting.minute(finished.addingTimeInterval(7 * 24 * 3600)),
                    "downloadable for 7 days after it finished")
            let page = try await kuaidi.get("/packages/\(id)").body.string
            #expect(page.contains("可下载至") && page.contains(status.keptUntil ?? "-"))

            let response = try await kuaidi.get("/packages/\(id)/download")
            #expect(response.status == .ok)
            #expect((response.headers.first(name: .contentDisposition) ?? "").contains("filename*=UTF-8''"))
            let bytes = Data(buffer: response.body)
            let zip = try ZipPackage.read(bytes)
            let root = "鄂党联发〔2024〕4号 推荐材料（市快递行业党委）"
            let folder = "\(root)/市快递行业党委/3-优秀共产党员/\(first)-阿卜杜热合曼·𠮷"
            #expect(zip.paths.contains("\(folder)/优秀共产党员推荐和审批表.docx"), "\(zip.paths)")
            #expect(zip.paths.contains("\(folder)/二寸免冠照片.png"))
            #expect(zip.paths.contains("\(root)/市快递行业党委/3-优秀共产党员/\(second)-李_雷/优秀共产党员推荐和审批表.docx"),
                    "a slash in a name cannot make a folder")
            #expect(zip.paths.contains("\(root)/推荐汇总表.xlsx") && zip.paths.contains("\(root)/附件1 推荐名额指导性计划分配表.docx"))
            #expect(!zip.paths.contains { $0.contains("撤回者") || $0.contains("物业人") })
            // Every entry's general purpose flag has bit 11 set: the names are UTF-8.
            #expect((UInt16(bytes[7]) << 8 | UInt16(bytes[6])) & 0x0800 != 0, "first entry flagged UTF-8")

            let form = try DocxReader.read(try #require(zip["\(folder)/优秀共产党员推荐和审批表.docx"]))
            #expect(form.tables.flatMap { $0.flatMap { $0.map(\.text) } }.contains("阿卜杜热合曼·𠮷"))
            let summary = try XlsxReader.read(try #require(zip["\(root)/推荐汇总表.xlsx"]))
            let cells = try #require(summary["优秀共产党员"]).rows.flatMap { $0 }
            #expect(cells.contains(Samples.idNumber(sequence: 101)), "the committee's own 汇总表 is in full")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.package").count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "document.package_download").count() == 1)

            // Another committee cannot see or fetch it.
            #expect(try await wuye.get("/packages/\(id)").status == .notFound)
            #expect(try await wuye.get("/packages/\(id)/download").status == .notFound)
            #expect(!(try await wuye.get("/campaigns/1/packages").body.string.contains("/packages/\(id)\"")))
        }
    }

    @Test("the alliance packages the whole campaign, a folder per committee; with LibreOffice the forms come as PDF too")
    func campaignPackage() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let zhang = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Samples.idNumber(sequence: 201)))
            try await Flow.submit(kuaidi, zhang, app: app)
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            let wang = try await NominationTests.create(wuye, Samples.memberForm(name: "王芳", id: Samples.idNumber(sequence: 203)))
            try await Flow.submit(wuye, wang, app: app)
            // A draft stays the committee's: the alliance's package does not hold it.
            _ = try await NominationTests.create(wuye, Samples.memberForm(name: "草稿人", id: Samples.idNumber(sequence: 205)))
            try await app.makeUser("reviewer", role: .reviewer)
            let reviewer = Browser(app)
            try await reviewer.signIn("reviewer")
            let id = try await Self.build(reviewer, app: app, form: [("committee_id", ""), ("pdf", "1")])
            let status = try await Self.status(reviewer, id)
            #expect(status.state == "done", "\(status)")
            let zip = try ZipPackage.read(Data(buffer: try await reviewer.get("/packages/\(id)/download").body))
            let root = "鄂党联发〔2024〕4号 推荐材料（全部行业党委）"
            #expect(zip.paths.contains { $0.hasPrefix("\(root)/市快递行业党委/3-优秀共产党员/") && $0.hasSuffix("张伟/优秀共产党员推荐和审批表.docx") })
            #expect(zip.paths.contains { $0.hasPrefix("\(root)/市物业行业党委/") && $0.contains("王芳") })
            #expect(!zip.paths.contains { $0.contains("草稿人") })
            // A reviewer's package is of masks (PersonalDataMatrixTests): a stamped scan cannot be masked.
            #expect(!zip.paths.contains { $0.contains("盖章扫描件") }, "no scan in a reviewer's package")
            let summary = try XlsxReader.read(try #require(zip["\(root)/推荐汇总表.xlsx"]))
            #expect(summary["市快递行业党委"] != nil && summary["市物业行业党委"] != nil, "a sheet per committee")
            let pdfs = zip.paths.filter { $0.hasSuffix(".pdf") }
            if app.pdf.available {
                #expect(pdfs.count == 2)
                #expect(pdfs.allSatisfy { zip[$0]?.starts(with: Data("%PDF".utf8)) == true })
            } else {
                #expect(pdfs.isEmpty)
            }
            // The committee picker: a committee that does not exist is refused beside the field.
            let refused = try await reviewer.post("/campaigns/1/packages", [("committee_id", "9999")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("请选择行业党委"))
        }
    }

    @Test("a package whose instance stopped half-way reads as interrupted, and one whose file was removed as expired")
    func interruptedAndExpired() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.build(kuaidi, app: app)
            try FileManager.default.removeItem(at: PackageBuilder.file(app, jobID: id))
            #expect(try await Self.status(kuaidi, id).note?.contains("已过期") == true)
            #expect(try await kuaidi.get("/packages/\(id)/download").status == .conflict)

            // Asking again for a package being built shows that one instead of queuing another.
            try await PackageJob.query(on: app.db).filter(\.$id == id).set(\.$state, to: "running").update()
            let again = try await kuaidi.post("/campaigns/1/packages")
            #expect(again.location == "/packages/\(id)")
            #expect(try await PackageJob.query(on: app.db).count() == 1)

            clock.advance(by: 11 * 60)
            let page = try await kuaidi.get("/packages/\(id)").body.string
            #expect(page.contains("生成中断"))
            // A queued package waiting behind others that long is still only waiting.
            try await PackageJob.query(on: app.db).filter(\.$id == id).set(\.$state, to: "queued").update()
            #expect(try await Self.status(kuaidi, id).state == "queued")
        }
    }
}

extension PackageTests {
    @Test("a finished package is the service's alone to read, refused once its 7 days are over, and its file removed at the next start")
    func keptSevenDays() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Samples.idNumber(sequence: 301)))
            let id = try await Self.build(kuaidi, app: app)
            let file = PackageBuilder.file(app, jobID: id)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue & 0o777 == 0o600, "it holds phones and ID numbers")
            #expect(try await kuaidi.get("/packages/\(id)/download").status == .ok)

            clock.advance(by: PackageBuilder.keepFor + 60)
            try await kuaidi.signIn("kuaidi")
            let late = try await kuaidi.get("/packages/\(id)/download")
            #expect(late.status == .conflict && late.body.string.contains("已过期"))

            // A file untouched for longer than that goes at the start; a younger one stays.
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-PackageBuilder.keepFor - 60)],
                                                  ofItemAtPath: file.path)
            let younger = PackageBuilder.file(app, jobID: id + 1)
            try Data("zip".utf8).write(to: younger)
            PackageBuilder.removeExpiredFiles(app)
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(FileManager.default.fileExists(atPath: younger.path))
        }
    }
}

@Suite("Packages are their requester's")
struct PackageOwnerTests {
    @Test("an administrator's whole-campaign package, with full ID numbers, is not a reviewer's to list, open or download")
    func ownerOnly() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let reviewer = try await Flow.signedIn(app, "rev", role: .reviewer)
            let made = try await admin.post("/campaigns/1/packages", [("committee_id", "")])
            let path = try #require(made.location)
            #expect(path.hasPrefix("/packages/"))
            #expect(try await reviewer.get(path).status == .notFound)
            #expect(try await reviewer.get(path + "/download").status == .notFound)
            #expect(!(try await reviewer.get("/campaigns/1/packages").text.contains("href=\"\(path)\"")))
            // Asking for the same package gives the reviewer one of their own, not the administrator's.
            let own = try await reviewer.post("/campaigns/1/packages", [("committee_id", "")])
            #expect(own.location != path)
        }
    }
}
