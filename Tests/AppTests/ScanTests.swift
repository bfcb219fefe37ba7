@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// 盖章扫描件: pinned to the data they were signed on, proven by the QR code of the printed form.
@Suite("Stamped scans")
struct ScanTests {
    @Test("images whose header claims huge dimensions are refused before decoding: photo, scan and 纪检 reply")
    func hugeImages() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let bomb = Samples.png(width: 0xFFFF_FFF0, height: 0xFFFF_FFF0)
            let files = { try FileManager.default.subpathsOfDirectory(atPath: app.honors.dataDirectory).count }
            let before = try files()
            let reply = try await desk.reviewer.upload(
                "/nominations/\(desk.id)/integrity", field: "reply_scan", filename: "答复.png", data: bomb, contentType: "image/png",
                fields: [("integrity_result", "clear"), ("integrity_note", ""), ("reply_date", "2024-05-20")])
            #expect(reply.status == .unprocessableEntity && reply.fieldErrors.contains { $0.contains("尺寸过大") }, "\(reply.status)")
            #expect(try await IntegrityReply.query(on: app.db).count() == 0)
            let kuaidi = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm(name: "李四", id: Samples.idNumber(sequence: 331)))
            let photo = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png", data: bomb,
                                                contentType: "image/png")
            #expect(photo.fieldErrors.contains { $0.contains("尺寸过大") }, "\(photo.status)")
            let scan = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "s.png", data: bomb,
                                               contentType: "image/png")
            #expect(scan.fieldErrors.contains { $0.contains("尺寸过大") }, "\(scan.status)")
            #expect(try await Nomination.find(id, on: app.db)?.photoFile == nil)
            #expect(try files() == before, "nothing stored")
        }
    }

    /// libqrencode makes the codes, ZBar reads them (Debian's libqrencode4 and zbar-tools; scripts/test.sh installs both).
    static let codesWork = QRCode.available && ScanReader().canReadCodes

    static func scanImage(_ code: ScanCode) throws -> Data {
        try #require(QRCode.encode(code.text)).png(scale: 8)
    }

    static func upload(_ browser: Browser, _ id: Int, _ image: Data, name: String = "扫描件.png") async throws -> TestingHTTPResponse {
        try await browser.upload("/nominations/\(id)/scan", field: "scan[]", filename: name, data: image, contentType: "image/png")
    }

    @Test("the printed form's footer carries a QR code holding the nomination, version and fingerprint", .enabled(if: codesWork))
    func footerCode() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let form = try DocxReader.read(Data(buffer: try await kuaidi.get("/nominations/\(id)/form.docx").body))
            let footer = try #require(form.package["word/footer1.xml"].map { String(decoding: $0, as: UTF8.self) })
            let fingerprint = try await Flow.fingerprint(id, app)
            #expect(footer.contains("推荐编号 \(id) · 版本 \(try await Flow.version(id, app)) · 数据指纹 \(fingerprint)"))
            let image = try #require(form.package.paths.first { $0.hasPrefix("word/media/") }.flatMap { form.package[$0] })
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("honors-footer-\(UUID().uuidString).png")
            try image.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let texts = try await ScanReader().codes(in: [(file, .png)])
            #expect(texts == [ScanCode(nominationID: id, version: try await Flow.version(id, app), fingerprint: fingerprint).text])
        }
    }

    @Test("a scan of the current form is recognised by its code; one of an older version is named as older; another nomination's is refused",
          .enabled(if: codesWork))
    func recognised() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let printedVersion = try await Flow.version(id, app), printed = try await Flow.fingerprint(id, app)
            // Edited after printing: the signed paper is of version `printedVersion`.
            _ = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(printedVersion)"]))
            let now = try await Flow.fingerprint(id, app)
            #expect(now != printed)
            let older = try await Self.upload(kuaidi, id, try Self.scanImage(ScanCode(nominationID: id, version: printedVersion, fingerprint: printed)))
            #expect(older.status == .unprocessableEntity)
            #expect(older.fieldErrors.contains { $0.contains("此扫描件是第 \(printedVersion) 版审批表（数据指纹 \(printed)）") })
            #expect(try await Nomination.find(id, on: app.db)?.scanID == nil)

            let other = try await Self.upload(kuaidi, id, try Self.scanImage(ScanCode(nominationID: id + 100, version: 1, fingerprint: now)))
            #expect(other.fieldErrors.contains { $0.contains("属于推荐编号 \(id + 100)") })

            let current = try await Self.upload(kuaidi, id, try Self.scanImage(ScanCode(nominationID: id, version: try await Flow.version(id, app), fingerprint: now)))
            #expect(current.location == "/nominations/\(id)?notice=scan")
            let row = try #require(try await Nomination.find(id, on: app.db))
            #expect(row.scanState == .current)
            let scan = try #require(try await NominationScan.find(row.scanID, on: app.db))
            #expect(scan.matched == "qr" && scan.fingerprint == now && scan.printedVersion == printedVersion + 1)
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("与当前数据一致"))
            #expect(page.text.contains("由审批表二维码识别"))
        }
    }

    @Test("a scan goes stale with an edit and with a new photo; 上报 is refused until a current one is uploaded")
    func staleScan() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png", data: Samples.png(), contentType: "image/png")
            let none = try await kuaidi.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")])
            #expect(none.status == .unprocessableEntity)
            #expect(none.text.contains("请先上传签字盖章后的审批表扫描件"))

            try await Flow.uploadScan(kuaidi, id, app: app)
            #expect(try await Nomination.find(id, on: app.db)?.scanState == .current)
            // A new photo changes the printed form: the version moves on, the scan is stale.
            let before = try await Flow.version(id, app)
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p2.png",
                                        data: Samples.png(width: 351, height: 490), contentType: "image/png")
            #expect(try await Flow.version(id, app) == before + 1)
            #expect(try await Nomination.find(id, on: app.db)?.scanState == .stale)
            let afterPhoto = try await kuaidi.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")])
            #expect(afterPhoto.text.contains("盖章扫描件与当前数据不一致"))
            #expect(try await kuaidi.get("/nominations").text.contains(#"class="scan scan-stale""#), "stale on the list too")

            try await Flow.uploadScan(kuaidi, id, app: app)
            _ = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古准格尔旗", "id_number": "", "version": "\(try await Flow.version(id, app))"]))
            #expect(try await Nomination.find(id, on: app.db)?.scanState == .stale, "an edit makes it stale")
            let afterEdit = try await kuaidi.get("/nominations/\(id)")
            #expect(afterEdit.text.contains("已过期（数据已修改，须重新上传）"))

            // A campaign that does not ask for scans lets it go without one.
            try await Campaign.query(on: app.db).filter(\.$id == 1).set(\.$requireScan, to: false).update()
            let optional = try await kuaidi.post("/nominations/\(id)/submit", [("version", "\(try await Flow.version(id, app))")])
            #expect(optional.status == .seeOther)
        }
    }

    @Test("without a readable code the operator confirms the printed version; an older one is refused, nothing kept")
    func manualConfirmation() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            _ = try await kuaidi.get("/nominations/\(id)/form.docx")   // printed: its fingerprint is on record
            let printed = try await Flow.fingerprint(id, app)
            _ = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(id, app))"]))
            let upload = try await Self.upload(kuaidi, id, Samples.png(width: 1240, height: 1754))
            #expect(upload.status == .unprocessableEntity)
            #expect(upload.text.contains("请核对扫描件页脚的“版本”和“数据指纹”"))
            #expect(upload.text.contains("数据指纹 \(printed)"), "the version printed earlier is offered")
            let token = try #require(Flow.pendingToken(upload))
            let older = try await kuaidi.post("/nominations/\(id)/scan", [("pending", token), ("printed", printed)])
            #expect(older.fieldErrors.contains { $0.contains("与当前数据") })
            #expect(try await Nomination.find(id, on: app.db)?.scanID == nil)
            let forged = try await kuaidi.post("/nominations/\(id)/scan", [("pending", token + "0"), ("printed", printed)])
            #expect(forged.fieldErrors.contains("扫描件确认信息无效，请重新上传。"))
            let current = try await kuaidi.post("/nominations/\(id)/scan", [("pending", token), ("printed", try await Flow.fingerprint(id, app))])
            #expect(current.status == .seeOther)
            let scan = try #require(try await NominationScan.query(on: app.db).first())
            #expect(scan.matched == "manual")
        }
    }

    @Test("scans are checked by content and size: a renamed Word file, an empty upload, more than 20 MB are refused")
    func badFiles() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let word = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "扫描件.pdf",
                                               data: Data("PK\u{3}\u{4}word/document.xml".utf8), contentType: "application/pdf")
            #expect(word.status == .unprocessableEntity)
            #expect(word.fieldErrors.contains("“扫描件.pdf”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）。"))
            let empty = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "x.pdf", data: Data(), contentType: "application/pdf")
            #expect(empty.fieldErrors.contains("请选择要上传的扫描件（PDF、JPEG 或 PNG）。"))
            var huge = Data("%PDF-1.4\n".utf8)
            huge.append(Data(count: 21 * 1024 * 1024 + 1))
            let tooBig = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: "big.pdf", data: huge, contentType: "application/pdf")
            #expect(tooBig.status == .payloadTooLarge)
            #expect(try await NominationScan.query(on: app.db).count() == 0)
            // Another committee's nomination does not exist for this one.
            let wuye = try await NominationTests.operatorOf("市物业行业党委", "wuye", app: app)
            #expect(try await Self.upload(wuye, id, Samples.png()).status == .notFound)
        }
    }

    @Test("a pending confirmation is refused once the nomination changed, and for another person")
    func pendingTokenBound() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let upload = try await Self.upload(kuaidi, id, Samples.png(width: 1240, height: 1754))
            let token = try #require(Flow.pendingToken(upload))
            let colleague = try await Flow.signedIn(app, "kuaidi2", role: .committee, committee: "市快递行业党委")
            let theirs = try await colleague.post("/nominations/\(id)/scan", [("pending", token), ("printed", try await Flow.fingerprint(id, app))])
            #expect(theirs.fieldErrors.contains("扫描件确认信息无效，请重新上传。"))
            _ = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "id_number": "", "version": "\(try await Flow.version(id, app))"]))
            let replayed = try await kuaidi.post("/nominations/\(id)/scan", [("pending", token), ("printed", try await Flow.fingerprint(id, app))])
            #expect(replayed.fieldErrors.contains { $0.contains("上传扫描件后此推荐已有变动") })
            #expect(try await Nomination.find(id, on: app.db)?.scanID == nil)
        }
    }
}
