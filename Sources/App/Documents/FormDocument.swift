import Crypto
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// 附件2, 附件3, 附件4 filled from a nomination: the grid of the notice's form, the photo in its cell, the
/// committee's and the alliance's opinion blocks, and a footer with the nomination number, the version, a
/// fingerprint of the data and a QR code holding all three, so a signed scan tells which data it was signed on.
struct FormDocument {
    let category: NominationCategory
    let values: [String: String]
    let photo: Data?
    /// The stored photo's name (its content hash): part of the fingerprint.
    let photoName: String?
    let nominationID: Int
    let version: Int
    /// A stored nomination's fingerprint (salted, `FormFingerprint`); nil for a form of sample data.
    var dataFingerprint: String? = nil

    static let label = DocxTextFormat(font: "黑体", halfPoints: 24)
    static let body = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 24)
    static let deedsFormat = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 24)

    /// `FormFingerprint` of what the form prints: the same data and photo print the same mark.
    var fingerprint: String {
        dataFingerprint ?? FormFingerprint.of(category: category, values: values, photo: photoName, salt: nil)
    }

    var scanCode: ScanCode { ScanCode(nominationID: nominationID, version: version, fingerprint: fingerprint) }

    func value(_ key: String) -> String {
        let text = values[key] ?? ""
        switch key {
        case "ethnicity": return Ethnicity.byCode(text)?.name ?? text
        case "education": return Education.byCode(text)?.level.label ?? text
        case "professional_title", "honors_received": return text.isEmpty ? "无" : text
        case "birth_month", "work_start_month", "party_join_date", "full_member_date":
            return text.replacingOccurrences(of: "-", with: ".")
        default: return text
        }
    }

    func make() throws -> Data {
        var document = DocxDocument(title: category.formTitle)
        document.add(DocxParagraph("附件 \(category.attachmentNumber)", format: DocxTextFormat(font: "黑体", halfPoints: 32)))
        document.add(DocxParagraph(category.formTitle, format: DocxTextFormat(font: "方正小标宋简体", halfPoints: 40),
                                   alignment: .center, spacing: DocxSpacing(beforeTwips: 120, afterTwips: 240)))
        if category.isPerson {
            document.add(DocxParagraph("推荐党支部：\(value("recommending_branch"))", format: DocxTextFormat(font: "仿宋_GB2312", halfPoints: 28),
                                       spacing: DocxSpacing(afterTwips: 120)))
        }
        document.add(category.isPerson ? try personTable() : orgTable())
        document.footer = [try footer()]
        return try document.docxData()
    }

    /// The QR code (when libqrencode is installed) beside the line that says the same in words.
    private func footer() throws -> DocxParagraph {
        let line = "推荐编号 \(nominationID) · 版本 \(version) · 数据指纹 \(fingerprint)"
        var runs: [DocxRun] = []
        if let code = QRCode.encode(scanCode.text) {
            let side = DocxImage.emu(centimeters: 1.6)
            runs.append(.image(try DocxImage(data: code.png(scale: 6, border: 2), widthEMU: side, heightEMU: side,
                                             description: "审批表二维码：\(line)")))
            runs.append(DocxRun("　"))
        }
        runs.append(DocxRun(line, format: DocxTextFormat(halfPoints: 18)))
        return DocxParagraph(runs: runs, alignment: .center)
    }

    private func cell(_ text: String, span: Int = 1, format: DocxTextFormat = FormDocument.body) -> DocxTableCell {
        DocxTableCell(text, format: format, alignment: .center, columnSpan: span)
    }

    private func labelCell(_ text: String, span: Int = 1) -> DocxTableCell {
        cell(text, span: span, format: Self.label)
    }

    private func textCell(_ text: String, span: Int) -> DocxTableCell {
        DocxTableCell(paragraphs: text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { DocxParagraph(String($0), format: Self.body, alignment: .left) },
                      columnSpan: span, verticalAlignment: .top)
    }

    /// 主要事迹 in full, one paragraph per line with the Chinese first-line indent; long text flows on.
    private func deedsCell(span: Int) -> DocxTableCell {
        let lines = value("deeds").split(separator: "\n").map(String.init)
        return DocxTableCell(paragraphs: (lines.isEmpty ? [""] : lines).map {
            DocxParagraph($0, format: Self.deedsFormat, alignment: .both, indentation: .chineseFirstLine)
        }, columnSpan: span, verticalAlignment: .top)
    }

    /// "2024 年 5 月 20 日", or the printed form's blank "年　　月　　日" to fill by hand.
    private func dateLine(_ key: String) -> String {
        DayStamp(values[key] ?? "").map { "\($0.year) 年 \($0.month) 月 \($0.day) 日" } ?? "年　　月　　日"
    }

    private func opinionRows(_ table: inout DocxTable, span: Int) {
        table.addRow([labelCell("行业党委\n意见"), DocxTableCell(paragraphs: [
            DocxParagraph(value("committee_opinion"), format: Self.body, alignment: .left, indentation: .chineseFirstLine),
            DocxParagraph("行业党委书记签字：\(value("committee_signer"))", format: Self.body, alignment: .right,
                          spacing: DocxSpacing(beforeTwips: 360)),
            DocxParagraph("（盖章）", format: Self.body, alignment: .right),
            DocxParagraph(dateLine("committee_opinion_date"), format: Self.body, alignment: .right),
        ], columnSpan: span, verticalAlignment: .bottom)], height: .atLeast(twips: 2600), cantSplit: true)
        table.addRow([labelCell("市“两新”\n党建联盟\n意见"), DocxTableCell(paragraphs: [
            DocxParagraph(value("alliance_opinion"), format: Self.body, alignment: .left, indentation: .chineseFirstLine),
            DocxParagraph("（盖章）", format: Self.body, alignment: .right, spacing: DocxSpacing(beforeTwips: 360)),
            DocxParagraph(dateLine("alliance_opinion_date"), format: Self.body, alignment: .right),
        ], columnSpan: span, verticalAlignment: .bottom)], height: .atLeast(twips: 2400), cantSplit: true)
    }

    /// 附件3 / 附件4: seven columns, the photo in the last column over the first three rows. Label columns
    /// and padding are sized so that labels (文化程度, 联系电话, 市“两新”) stay on one line at 小四.
    private func personTable() throws -> DocxTable {
        var table = DocxTable(columnWidths: [1400, 1200, 1150, 1250, 1150, 1200, 1650], cellPaddingTwips: 80)
        let row = DocxRowHeight.atLeast(twips: 620)
        var photoCell = DocxTableCell(paragraphs: [DocxParagraph("二寸\n免冠\n照片", format: Self.body, alignment: .center)],
                                      verticalMerge: .restart, verticalAlignment: .center)
        if let photo {
            let image = try DocxImage.fitting(data: photo, maxWidthEMU: DocxImage.emu(centimeters: 2.5),
                                              maxHeightEMU: DocxImage.emu(centimeters: 3.5), description: "二寸免冠照片")
            photoCell = DocxTableCell(paragraphs: [DocxParagraph(runs: [.image(image)], alignment: .center)],
                                      verticalMerge: .restart, verticalAlignment: .center)
        }
        table.addRow([labelCell("姓　名"), cell(value("name")), labelCell("性　别"), cell(value("gender")),
                      labelCell("民　族"), cell(value("ethnicity")), photoCell], height: row)
        table.addRow([labelCell("出生年月"), cell(value("birth_month")), labelCell("籍　贯"), cell(value("native_place")),
                      labelCell("参加工\n作时间"), cell(value("work_start_month")), .mergedBelow()], height: row)
        table.addRow([labelCell("入党时间"), cell(value("party_join_date")), labelCell("文化程度"), cell(value("education")),
                      labelCell("职　称"), cell(value("professional_title")), .mergedBelow()], height: row)
        if category == .worker {
            table.addRow([labelCell("党内职务"), cell(value("party_post"), span: 6)], height: row)
        }
        table.addRow([labelCell("工作单位\n及职务"), cell(value("unit_and_position"), span: 6)], height: row)
        table.addRow([labelCell("身份证号"), cell(value("id_number"), span: 3), labelCell("联系电话"),
                      cell(value("phone"), span: 2)], height: row)
        table.addRow([labelCell("个\n人\n简\n历"), textCell(value("resume"), span: 6)], height: .atLeast(twips: 2200))
        table.addRow([labelCell("受\n表\n彰\n情\n况"), textCell(value("honors_received"), span: 6)], height: .atLeast(twips: 1400))
        table.addRow([labelCell("主\n要\n事\n迹"), deedsCell(span: 6)], height: .atLeast(twips: 4000))
        opinionRows(&table, span: 6)
        return table
    }

    /// 附件2: four columns.
    private func orgTable() -> DocxTable {
        var table = DocxTable(columnWidths: [1900, 3000, 1700, 2400])
        let row = DocxRowHeight.atLeast(twips: 620)
        table.addRow([labelCell("党组织名称"), cell(value("org_name"), span: 3)], height: row)
        table.addRow([labelCell("所在单位"), cell(value("org_unit"), span: 3)], height: row)
        table.addRow([labelCell("党组织负责人"), cell(value("org_leader")), labelCell("党员人数"), cell(value("member_count"))],
                     height: row)
        table.addRow([labelCell("基本情况"), textCell(value("basic_info"), span: 3)], height: .atLeast(twips: 1600))
        table.addRow([labelCell("表彰情况"), textCell(value("honors_received"), span: 3)], height: .atLeast(twips: 1200))
        table.addRow([labelCell("主\n要\n事\n迹"), deedsCell(span: 3)], height: .atLeast(twips: 5000))
        opinionRows(&table, span: 3)
        return table
    }
}

extension FormDocument {
    /// The form of a stored nomination with its photo, and its ID number and phone as `disclosure` says:
    /// opened in full, or masked (a reviewer without a reveal).
    init(_ nomination: Nomination, app: Application, disclosure: Disclosure) throws {
        var values = nomination.values.merging(try NominationService.personalData(of: nomination, secrets: app.secrets)) { $1 }
        values["alliance_opinion"] = nomination.allianceOpinion
        values["alliance_opinion_date"] = nomination.allianceOpinionDate
        let photo = nomination.photoFile
        // The stored data's fingerprint, on a masked copy too: it names the same version.
        let fingerprint = try NominationService.fingerprint(of: nomination, secrets: app.secrets)
        if disclosure != .full {
            for key in NominationService.sensitiveKeys { values[key] = values[key].map { NominationService.masked(key, $0) } }
        }
        self.init(category: nomination.categoryValue, values: values,
                  photo: try photo.flatMap { try UploadStore(app: app, kind: .photo).read($0) },
                  photoName: photo, nominationID: try nomination.requireID(), version: nomination.version,
                  dataFingerprint: fingerprint)
    }
}
