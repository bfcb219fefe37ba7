@testable import App
import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Hostile input through every door: mutated xlsx, docx, PNG, JPEG and PDF files (truncated, bit-flipped,
/// padded, nested in a ZIP, renamed) through every upload, and random values in every field of every form.
/// Whatever comes in: never a 500, every refusal a Chinese page or message, nothing stored on a refusal, no
/// answer that hangs. Reproducible: `HONORS_FUZZ_SEED` picks the mutations, `HONORS_FUZZ_ROUNDS` how many.
@Suite("Fuzz: hostile files and form values")
struct FuzzTests {
    /// SplitMix64: the same seed gives the same run.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["HONORS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_240_701
    /// Rounds of 5 mutated files, each through the 4 uploads; `scripts/test.sh` runs 100 (2 000 uploads) once.
    static let rounds = environment["HONORS_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 20
    /// Longer than any answer may take: a hang, not a slow machine.
    static let slowest: TimeInterval = 10

    // MARK: Files

    /// A baseline JPEG's markers around no image data: what a header reader sees of a 350×490 photo.
    static let jpeg: Data = {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + Array(repeating: 1, count: 64)
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xEA, 0x01, 0x5E, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
        bytes += [0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00] + Array(repeating: 0xAA, count: 64)
        return Data(bytes + [0xFF, 0xD9])
    }()

    static func seeds(_ template: XlsxContents) throws -> [(String, Data)] {
        [
            ("xlsx", try ImportTests.filled(template, people: [ImportTests.person("模糊", id: Samples.idNumber(sequence: 733))])),
            ("docx", try DocxDocument(body: [.paragraph(DocxParagraph("推荐名单"))]).docxData()),
            ("png", Samples.png(width: 413, height: 579)),
            ("jpg", jpeg),
            ("pdf", Samples.pdfDocument(pages: 2)),
        ]
    }

    /// One mutation of `data`, and what it was.
    static func mutate(_ data: Data, _ random: inout Random) -> (Data, String) {
        var bytes = [UInt8](data)
        switch Int.random(in: 0..<8, using: &random) {
        case 0:
            let keep = Int.random(in: 0...bytes.count, using: &random)
            return (Data(bytes.prefix(keep)), "truncated to \(keep)")
        case 1:
            let flips = Int.random(in: 1...32, using: &random)
            for _ in 0..<flips where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            }
            return (Data(bytes), "\(flips) bits flipped")
        case 2:
            let at = Int.random(in: 0...bytes.count, using: &random)
            let noise = (0..<Int.random(in: 1...4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            bytes.insert(contentsOf: noise, at: at)
            return (Data(bytes), "\(noise.count) random bytes at \(at)")
        case 3:
            // Oversized: a slice repeated many times. (Files past the size limits are refused before they are
            // read, tested with each upload; here the readers meet repetition.)
            let from = Int.random(in: 0..<max(1, bytes.count), using: &random)
            let slice = bytes[from..<min(bytes.count, from + 512)]
            let times = Int.random(in: 10...(200_000 / max(1, slice.count)), using: &random)
            for _ in 0..<times { bytes.append(contentsOf: slice) }
            return (Data(bytes), "slice repeated \(times)×")
        case 4:
            // Nested: the file inside a ZIP (what an .xlsx or .docx is), itself inside another.
            var inner = ZipPackage()
            inner.add("xl/worksheets/sheet1.xml", data)
            var outer = ZipPackage()
            outer.add("word/document.xml", (try? inner.archived()) ?? data)
            return ((try? outer.archived()) ?? data, "nested in a zip")
        case 5:
            for index in 0..<min(bytes.count, 64) where Bool.random(using: &random) { bytes[index] = 0 }
            return (Data(bytes), "header zeroed")
        case 6:
            // Another kind's magic bytes in front: a file that lies about itself.
            let magic: [[UInt8]] = [Array("%PDF-1.7\n".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], [0x50, 0x4B, 0x03, 0x04]]
            let chosen = magic.randomElement(using: &random)!
            return (Data(chosen + bytes), "prefixed \(chosen.prefix(4))")
        default:
            return (Data(), "empty")
        }
    }

    /// What a refusal must leave as it was.
    struct Snapshot: Equatable {
        var values: [Int]
    }

    static func snapshot(_ app: Application) async throws -> Snapshot {
        let sql = app.db as! any SQLDatabase
        var values: [Int] = []
        for (table, column) in [(Nomination.schema, "version"), (User.schema, "version"), (Campaign.schema, "version"),
                                (CampaignQuota.schema, "granted")] {
            let row = try await sql.raw("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(\(ident: column)), 0) AS BIGINT) AS v FROM \(ident: table)").first()
            values += [try row?.decode(column: "n", as: Int.self) ?? -1, try row?.decode(column: "v", as: Int.self) ?? -1]
        }
        for table in [NominationScan.schema, IntegrityReply.schema, QuotaRequest.schema, NominationReview.schema, Committee.schema,
                      DeadlineExtension.schema, UserFactor.schema] {
            let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            values.append(try row?.decode(column: "n", as: Int.self) ?? -1)
        }
        let photos = try await sql.raw("SELECT COUNT(*) AS n FROM nominations WHERE photo_file IS NOT NULL").first()
        values.append(try photos?.decode(column: "n", as: Int.self) ?? -1)
        return Snapshot(values: values)
    }

    /// The answer is one a person can act on: never a server error, a refusal in Chinese, nothing changed by it.
    static func check(_ response: TestingHTTPResponse, took seconds: TimeInterval, before: Snapshot, app: Application,
                      _ what: @autoclosure () -> String) async throws {
        #expect(response.status.code < 500, "\(what()): \(response.status)")
        #expect(seconds < slowest, "\(what()): \(seconds) s")
        if response.status.code >= 400 {
            #expect(response.text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(what()): no Chinese message")
            #expect(try await snapshot(app) == before, "\(what()): a refusal changed data")
        }
    }

    @Test("mutated files through every upload: no 500, a Chinese message, nothing stored on a refusal, no hang")
    func files() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let draft = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "李娜", id: Samples.idNumber(sequence: 755)))
            let template = try await ImportTests.template(desk.kuaidi)
            var random = Random(state: Self.seed)
            let types = ["application/pdf", "image/png", "image/jpeg", Download.xlsx, "application/octet-stream", "text/plain"]
            let names = ["扫描件.pdf", "照片.jpg", "照片.png", "名单.xlsx", "名单.docx", "a", "..\\..\\x.pdf", "名单.xlsx.exe", String(repeating: "长", count: 300)]
            var sent = 0
            for round in 0..<Self.rounds {
                for (kind, seed) in try Self.seeds(template) {
                    let (data, how) = Self.mutate(seed, &random)
                    let name = names.randomElement(using: &random)!, type = types.randomElement(using: &random)!
                    let uploads: [(Browser, String, String, [(String, String)])] = [
                        (desk.kuaidi, "/nominations/\(draft)/photo", "photo", []),
                        (desk.kuaidi, "/nominations/\(draft)/scan", "scan[]", []),
                        (desk.kuaidi, "/import", "file", []),
                        (desk.admin, "/nominations/\(desk.id)/integrity", "reply_scan",
                         [("integrity_result", "clear"), ("integrity_note", ""), ("reply_date", "2024-05-20")]),
                    ]
                    for (browser, path, field, fields) in uploads {
                        let before = try await Self.snapshot(app)
                        let started = Date()
                        let response = try await browser.upload(path, field: field, filename: name, data: data, contentType: type, fields: fields)
                        try await Self.check(response, took: Date().timeIntervalSince(started), before: before, app: app,
                                             "seed \(Self.seed) round \(round) \(kind) \(how) → \(path)")
                        sent += 1
                    }
                }
            }
            #expect(sent == Self.rounds * 5 * 4)
        }
    }

    // MARK: Form values

    /// Text no form expects: rare and astral characters, emoji, marks, controls, direction overrides, huge.
    static func value(_ random: inout Random) -> String {
        let pools: [[UInt32]] = [
            Array(0x20...0x7E), Array(0x4E00...0x4E80), [0x20BB7, 0x2C317, 0x1F600, 0x1F468, 0x200D, 0x1F469],
            Array(0x00...0x1F) + [0x7F, 0x85, 0x2028, 0x2029], [0x202E, 0x200B, 0xFEFF, 0x0301, 0x0308, 0xFFFD],
            Array(0xFF10...0xFF19), Array(0xFF21...0xFF3A),
        ]
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return ""
        case 1: return String(repeating: "𠮷", count: Int.random(in: 1_000...40_000, using: &random))
        case 2: return ["-1", "0", "99999999999999999999", "1e308", "NaN", "２０２４-０５-２０", "2024-02-30", "null", "[]", "{}"]
            .randomElement(using: &random)!
        default:
            let length = Int.random(in: 1...60, using: &random)
            return String(String.UnicodeScalarView((0..<length).compactMap { _ in
                Unicode.Scalar(pools.randomElement(using: &random)!.randomElement(using: &random)!)
            }))
        }
    }

    /// Every `<form method="post">` of a page: its action and the names of its fields.
    static func forms(_ page: TestingHTTPResponse) -> [(action: String, fields: [String])] {
        let text = page.text
        let form = try! NSRegularExpression(pattern: #"<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>(.*?)</form>"#, options: [.dotMatchesLineSeparators])
        let name = try! NSRegularExpression(pattern: #"name="([^"]+)""#)
        return form.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let action = Range(match.range(at: 1), in: text).map({ String(text[$0]).replacingOccurrences(of: "&amp;", with: "&") }),
                  let body = Range(match.range(at: 2), in: text).map({ String(text[$0]) }) else { return nil }
            let fields = name.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap {
                Range($0.range(at: 1), in: body).map { String(body[$0]) }
            }.filter { $0 != "_csrf" }
            return (action, Array(Set(fields)).sorted())
        }
    }

    @Test("random values in every field of every form: never a 500, nothing stored on a refusal")
    func forms() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let draft = try await NominationTests.create(desk.kuaidi, Samples.memberForm(name: "李娜", id: Samples.idNumber(sequence: 755)))
            let reviewerID = try #require(try await User.query(on: app.db).filter(\.$username == "rev").first()?.id)
            let pages: [(Browser, String)] = [
                (desk.admin, "/campaigns/1/edit"), (desk.admin, "/campaigns/1/copy"), (desk.admin, "/campaigns/1/quotas/edit"),
                (desk.admin, "/campaigns/1"), (desk.admin, "/admin/users/new"), (desk.admin, "/admin/users/\(reviewerID)"),
                (desk.admin, "/nominations/\(desk.id)"), (desk.admin, "/account/password"), (desk.admin, "/account/factor"),
                (desk.reviewer, "/nominations/\(desk.id)"), (desk.reviewer, "/account/factor"),
                (desk.kuaidi, "/nominations/new?category=member"), (desk.kuaidi, "/nominations/new?category=worker"),
                (desk.kuaidi, "/nominations/new?category=org"), (desk.kuaidi, "/nominations/\(draft)/edit"),
                (desk.kuaidi, "/nominations/\(draft)"), (desk.kuaidi, "/quota-requests"), (desk.admin, "/quota-requests"), (desk.kuaidi, "/account/password"),
                (Browser(app), "/login"),
            ]
            var random = Random(state: Self.seed &+ 1)
            var posted = 0, formCount = 0
            for (browser, path) in pages {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                for (action, fields) in Self.forms(page) where action != "/logout" && !fields.isEmpty {
                    formCount += 1
                    for round in 0..<max(10, Self.rounds / 4) {
                        var form: [(String, String)] = []
                        for field in fields {
                            switch Int.random(in: 0..<12, using: &random) {
                            case 0: continue  // left out
                            case 1: form += [(field + "[]", Self.value(&random)), (field + "[]", Self.value(&random))]  // a list
                            case 2: form.append((field + "[x]", Self.value(&random)))  // a dictionary
                            case 3: form += [(field, Self.value(&random)), (field, Self.value(&random))]  // twice
                            default: form.append((field, Self.value(&random)))
                            }
                        }
                        let before = try await Self.snapshot(app)
                        let started = Date()
                        let response = try await browser.post(action, form)
                        try await Self.check(response, took: Date().timeIntervalSince(started), before: before, app: app,
                                             "seed \(Self.seed) round \(round) \(action) \(form.map(\.0))")
                        posted += 1
                    }
                }
            }
            #expect(formCount >= 20 && posted == formCount * max(10, Self.rounds / 4), "\(formCount) forms, \(posted) posts")
        }
    }
}
