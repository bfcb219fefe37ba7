import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// Excel import: `GET /import/template.xlsx` for anyone signed in (the alliance hands it out too), and the
/// import page with `POST /import` for committee operators, whose rows become their own committee's drafts.
struct ImportController: RouteCollection {
    /// An upload larger than this is refused before it is read (a filled template is well under 1 MB).
    static let maximumUpload = 10 * 1024 * 1024
    /// What an upload may unpack to: enough for 500 long rows, far short of a zip bomb.
    static let maximumUnpacked = 64 * 1024 * 1024
    /// What a filled template can need, checked while the file is read: the template has 4 sheets; 500 rows of
    /// 40-odd columns, after 2 header rows; a 主要事迹 of a few thousand characters. Cells hold at most what
    /// Excel itself allows.
    static let limits = XlsxLimits(depth: 32, sheets: 16, cells: 100_000, cellLength: 32_767,
                                   sharedStrings: 4_000_000, rows: ImportLayout.maximumRows + 2)

    func boot(routes: any RoutesBuilder) throws {
        routes.get("import", "template.xlsx", use: template)
    }

    struct Entry: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("import", use: page)
            routes.on(.POST, "import", body: .collect(maxSize: "10mb"), use: upload)
                .bodyLimit(ImportController.maximumUpload)
        }
    }

    @Sendable func template(req: Request) async throws -> Response {
        let data = try await req.application.threadPool.runIfActive { try ImportTemplate.make() }
        return Download.response(data, filename: "推荐对象导入模板.xlsx", contentType: Download.xlsx)
    }
}

extension ImportController.Entry {
    struct PageView: Encodable {
        let campaign: String?
        let fileName: String
        let problems: [String]
        let hasProblems: Bool
        let results: [NominationImport.RowResult]
        let hasResults: Bool
        let imported: Int
        let existing: Int
        let refused: Int
    }

    struct UploadInput: Content {
        var file: File?
    }

    private func render(_ req: Request, campaign: Campaign?, fileName: String = "", problems: [String] = [],
                        results: [NominationImport.RowResult] = [], status: HTTPStatus = .ok) async throws -> Response {
        let count = { (outcome: NominationImport.Outcome) in results.filter { $0.outcome == outcome }.count }
        let view = PageView(campaign: campaign?.documentNumber, fileName: fileName, problems: problems,
                            hasProblems: !problems.isEmpty, results: results, hasResults: !results.isEmpty,
                            imported: count(.imported), existing: count(.existing), refused: count(.refused))
        return try await req.page("import", title: "从 Excel 导入推荐对象", view, status: status)
    }

    private func openCampaign(_ req: Request) async throws -> Campaign? {
        try await NominationController.openCampaign(on: req.db, now: req.now, committeeID: try req.requireUser().committeeID)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, campaign: try await openCampaign(req))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        // Past the deadline (perhaps while the page was open) the page says so where the form was.
        guard let campaign = try await openCampaign(req) else {
            return try await render(req, campaign: nil, status: .forbidden)
        }
        let file = try req.content.decode(UploadInput.self).file
        let fileName = file.map { TextInput.line($0.filename) } ?? ""
        let data = Data(buffer: file?.data ?? ByteBuffer())
        guard !data.isEmpty else {
            return try await render(req, campaign: campaign, problems: ["请选择要导入的 Excel 文件（.xlsx）。"],
                                    status: .unprocessableEntity)
        }
        // Reading and checking the shape are CPU work: on the thread pool, never on the event loop.
        let reading: ImportReading
        do {
            reading = try await req.application.threadPool.runIfActive {
                ImportReader.read(try XlsxReader.read(data, maximumUnpackedBytes: ImportController.maximumUnpacked,
                                                      limits: ImportController.limits).sheets
                    .map { ImportSheet(name: $0.name, isHidden: $0.isHidden, rows: $0.rows) })
            }
        } catch {
            return try await render(req, campaign: campaign, fileName: fileName,
                                    problems: [Self.unreadable(data, fileName: fileName, error: error)],
                                    status: .unprocessableEntity)
        }
        guard reading.problems.isEmpty else {
            return try await render(req, campaign: campaign, fileName: fileName, problems: reading.problems,
                                    status: .unprocessableEntity)
        }
        let results = try await NominationImport(service: try NominationService(req: req), campaign: campaign).run(reading)
        let actor = req.actor, now = req.now, committeeID = try req.requireUser().committeeID
        let counts = ["imported", "existing", "refused"].map { key in
            FieldChange(key, old: nil, new: "\(results.filter { $0.outcome.rawValue == key }.count)")
        }
        try await req.write { db in
            try await Audit.record(on: db, actor: actor, action: "nomination.import", objectType: "campaign",
                                   objectID: "\(campaign.id!)", objectLabel: fileName, committeeID: committeeID,
                                   changes: counts, at: now)
        }
        return try await render(req, campaign: campaign, fileName: fileName, results: results)
    }

    /// Why a file could not be opened, in terms of what the user can do about it.
    static func unreadable(_ data: Data, fileName: String, error: any Error) -> String {
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return "“\(fileName)”是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        }
        if case OfficeError.tooLarge = error {
            return "“\(fileName)”解压后超过 \(ImportController.maximumUnpacked >> 20) MB，不像是填写好的导入模板，未导入。"
        }
        if case OfficeError.overLimit(let limit, let value, let sheet) = error {
            let place = sheet.map { "工作表“\($0)”" } ?? ""
            return switch limit {
            case .depth: "“\(fileName)”的内部结构嵌套超过 \(value) 层，不是正常的 Excel 文件，未导入。"
            case .sheets: "“\(fileName)”有超过 \(value) 个工作表（导入模板只有 4 个），未导入。请使用导入模板填写后上传。"
            case .cells: "“\(fileName)”的单元格超过 \(value) 个（整个工作簿合计，含空隙），未导入。请只保留导入模板的工作表和填写的行。"
            case .cellLength: "“\(fileName)”\(place)中有单元格超过 \(value) 个字符，未导入。"
            case .sharedStrings: "“\(fileName)”中的文字合计超过 \(value / 10_000) 万字，未导入。"
            case .rows: "“\(fileName)”\(place)超过 \(ImportLayout.maximumRows) 行推荐数据（从第 3 行起），读到第 \(value + 1) 行时已停止，未导入。请分成几个文件导入。"
            }
        }
        return "“\(fileName)”不是有效的 Excel（.xlsx）文件，无法读取。请使用“下载导入模板”得到的文件填写后上传。"
    }
}
