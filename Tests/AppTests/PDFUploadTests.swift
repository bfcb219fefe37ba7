@testable import App
import Fluent
import Foundation
import HonorsOffice
import Testing
import Vapor
import VaporTesting

/// Uploaded PDFs (盖章扫描件 and 纪检 reply letters) that act, are encrypted or are far too long are refused by
/// one check, with the reason beside the file field, and nothing is stored.
@Suite("PDF uploads")
struct PDFUploadTests {
    static let script = Samples.pdfDocument(catalog: "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")
    static let cases: [(String, Data, String)] = [
        ("脚本.pdf", script, "含有脚本、启动程序或嵌入文件"),
        ("转义.pdf", Samples.pdfDocument(catalog: "/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "), "含有脚本"),
        ("名称树.pdf", Samples.pdfDocument(catalog: "/Names << /JavaScript << /Names [(a) 4 0 R] >> >> ",
                                           objects: ["<< /S /JavaScript /JS (app.alert(1)) >>"]), "含有脚本"),
        ("启动.pdf", Samples.pdfDocument(catalog: "/OpenAction << /S /Launch /F (cmd.exe) >> "), "含有脚本"),
        ("附件.pdf", Samples.pdfDocument(catalog: "/Names << /EmbeddedFiles << /Names [] >> >> "), "嵌入文件"),
        ("加密.pdf", Samples.pdfDocument(trailer: "/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> "), "已加密"),
        ("长.pdf", Samples.pdfDocument(pages: 2000), "有 2000 页，超过 50 页的上限"),
    ]

    /// Counting pages needs poppler: without it (never in CI) the long file cannot be checked.
    static func checkable(_ name: String, _ app: Application) -> Bool {
        guard app.scanReader.pdfinfo == nil, name.hasPrefix("长") else { return true }
        #expect(ProcessInfo.processInfo.environment["CI"] != "true", "poppler (pdfinfo) is missing")
        return false
    }

    @Test("the byte check sees names however they are spelled, and not inside stream data")
    func byteCheck() {
        #expect(PDFCheck.problem(in: Self.script) == .active("JavaScript"))
        #expect(PDFCheck.problem(in: Samples.pdfDocument(catalog: "/AA << /O << /S /J#61vaScript >> >> ")) == .active("JavaScript"))
        #expect(PDFCheck.problem(in: Samples.pdfDocument(trailer: "/Encrypt 9 0 R ")) == .encrypted)
        // Image data that happens to spell /JS is data, not a name.
        let image = Samples.pdfDocument(objects: ["<< /Length 24 >>\nstream\nab/JS cd/JavaScript /JS\nendstream"])
        #expect(PDFCheck.problem(in: image) == nil)
        // A comment is not syntax either.
        #expect(PDFCheck.problem(in: Samples.pdfDocument(objects: ["<< >> % /JavaScript"])) == nil)
        #expect(PDFCheck.problem(in: Samples.pdfDocument(pages: 3)) == nil)
    }

    @Test("a scan upload refuses each such PDF by name and stores nothing", arguments: Self.cases)
    func scans(_ name: String, _ data: Data, _ message: String) async throws {
        try await withHonorsApp { app, _ in
            guard Self.checkable(name, app) else { return }
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            let response = try await kuaidi.upload("/nominations/\(id)/scan", field: "scan[]", filename: name, data: data,
                                                   contentType: "application/pdf")
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.contains { $0.hasPrefix("“\(name)”") && $0.contains(message) }, "\(response.fieldErrors)")
            #expect(try await NominationScan.query(on: app.db).count() == 0)
            let folder = UploadStore(app: app, kind: .scan).folder
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty, "no file kept")
        }
    }

    @Test("a 纪检 reply's scan goes through the same check; the reply is not recorded", arguments: Self.cases)
    func replies(_ name: String, _ data: Data, _ message: String) async throws {
        try await withHonorsApp { app, _ in
            guard Self.checkable(name, app) else { return }
            let desk = try await ReviewWorkflowTests.desk(app)
            let response = try await desk.admin.upload(
                "/nominations/\(desk.id)/integrity", field: "reply_scan", filename: name, data: data, contentType: "application/pdf",
                fields: [("integrity_result", "clear"), ("integrity_note", ""), ("reply_date", "2024-05-20")])
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.contains { $0.contains(message) }, "\(response.fieldErrors)")
            #expect(try await IntegrityReply.query(on: app.db).count() == 0)
        }
    }

    @Test("a plain scanned PDF is taken")
    func plain() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let response = try await desk.admin.upload(
                "/nominations/\(desk.id)/integrity", field: "reply_scan", filename: "答复.pdf", data: Samples.pdfDocument(pages: 2),
                contentType: "application/pdf", fields: [("integrity_result", "clear"), ("integrity_note", ""), ("reply_date", "2024-05-20")])
            #expect(response.status == .seeOther, "\(response.fieldErrors)")
            #expect(try await IntegrityReply.query(on: app.db).count() == 1)
        }
    }

    @Test("past the queue's bound a request is told the server is busy at once, and the slot holders still finish")
    func boundedQueue() async throws {
        let slots = Slots(1, maxWaiting: 1)
        try await slots.acquire()
        let waiter = Task { try await slots.run { 42 } }
        // Let the waiter queue up, then one more is refused.
        try await Task.sleep(nanoseconds: 50_000_000)
        await #expect(throws: ServerBusy.self) { try await slots.run { 0 } }
        await slots.release()
        #expect(try await waiter.value == 42)
        #expect(try await slots.run { 7 } == 7)
    }
}
