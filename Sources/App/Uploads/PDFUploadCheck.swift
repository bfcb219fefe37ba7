import Foundation
import HonorsCore
import HonorsOffice

/// The one check of an uploaded PDF (盖章扫描件 and 纪检 reply letters alike): no scripts or other active
/// content, no encryption, no more pages than a scan has, and readable by poppler where it is installed.
enum PDFUploadCheck {
    /// A stamped form is a few pages; a reply letter one or two.
    static let maximumPages = 50

    struct Outcome: Sendable {
        /// Why the file is refused, for the field it was uploaded in; nil when it may be stored.
        var refusal: String?
        /// Pages, when poppler could count them.
        var pages: Int?
    }

    /// `data` is the file, already written at `url` for poppler; `name` is how the user knows it.
    static func examine(_ data: Data, at url: URL, name: String, reader: ScanReader) async -> Outcome {
        if let problem = PDFCheck.problem(in: data) { return Outcome(refusal: message(problem, name: name)) }
        guard reader.pdfinfo != nil else { return Outcome() }
        guard let info = await reader.pdfInfo(url), info.pages > 0 else {
            return Outcome(refusal: "“\(name)”无法读取（PDF 可能已损坏或设有打开密码），请重新扫描导出后上传。")
        }
        if info.javaScript { return Outcome(refusal: message(.active("JavaScript"), name: name)) }
        if info.encrypted { return Outcome(refusal: message(.encrypted, name: name)) }
        if info.pages > maximumPages { return Outcome(refusal: message(.tooManyPages(info.pages), name: name)) }
        return Outcome(pages: info.pages)
    }

    static func message(_ problem: PDFCheck.Problem, name: String) -> String {
        switch problem {
        case .active:
            "“\(name)”含有脚本、启动程序或嵌入文件等可执行内容，出于安全考虑不能上传。请用扫描仪重新扫描，或用“打印为 PDF”另存后上传。"
        case .encrypted:
            "“\(name)”已加密（设有密码或权限限制），无法核对内容。请去掉加密后重新导出上传。"
        case .tooManyPages(let pages):
            "“\(name)”有 \(pages) 页，超过 \(maximumPages) 页的上限。请只上传审批表或答复函的扫描页。"
        }
    }
}
