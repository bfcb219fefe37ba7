import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// Checking an uploaded 盖章扫描件 before it is kept: each file is a PDF, JPEG or PNG by content, 20 MB in
/// all; the QR codes in the forms' footers say which nomination, version and data fingerprint were printed.
enum ScanUpload {
    static let maxBytes = 20 * 1024 * 1024
    static let maxFiles = 20

    /// Files checked and stored, waiting for the operator to say which printed version they are (no code
    /// could be read). The token carries them to the next request, signed so it cannot be altered.
    struct Pending: Encodable, Sendable {
        let files: [ScanFile]
        let token: String
        /// The versions the operator can choose from: the current data, and every version printed before.
        let choices: [Choice]
        let pages: Int

        struct Choice: Encodable, Sendable {
            let fingerprint: String
            let label: String
            let current: Bool
        }

        static func token(for files: [ScanFile], nominationID: Int, secrets: SecretBox) -> String {
            let json = String(decoding: (try? JSONEncoder().encode(files)) ?? Data(), as: UTF8.self)
            let body = Data(json.utf8).base64EncodedString()
            return body + "." + secrets.keyedHash("scan-pending:\(nominationID):\(body)")
        }

        static func files(from token: String, nominationID: Int, secrets: SecretBox) -> [ScanFile]? {
            let parts = token.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, secrets.keyedHash("scan-pending:\(nominationID):\(parts[0])") == parts[1],
                  let data = Data(base64Encoded: parts[0]) else { return nil }
            return try? JSONDecoder().decode([ScanFile].self, from: data)
        }
    }

    /// What the codes said.
    enum Reading: Equatable {
        /// A code of this nomination with the current fingerprint.
        case current(version: Int)
        /// Codes of this nomination, none with the current fingerprint: printed from older data.
        case older(version: Int, fingerprint: String)
        /// Codes of other nominations only.
        case otherNomination(Int)
        /// No code could be read.
        case unreadable
    }

    static func reading(of texts: [String], nominationID: Int, currentFingerprint: String) -> Reading {
        let codes = texts.compactMap(ScanCode.init(text:))
        let own = codes.filter { $0.nominationID == nominationID }
        if let match = own.first(where: { $0.fingerprint == currentFingerprint }) { return .current(version: match.version) }
        if let old = own.max(by: { $0.version < $1.version }) { return .older(version: old.version, fingerprint: old.fingerprint) }
        if let other = codes.first { return .otherNomination(other.nominationID) }
        return .unreadable
    }

    static func olderMessage(version: Int?, fingerprint: String, currentVersion: Int, currentFingerprint: String) -> String {
        let printed = version.map { "第 \($0) 版" } ?? "较早版本"
        return "此扫描件是\(printed)审批表（数据指纹 \(fingerprint)），与当前数据（版本 \(currentVersion)，数据指纹 \(currentFingerprint)）不一致：打印后材料又有修改。请下载最新的审批表，重新签字盖章后扫描上传。未保存此扫描件。"
    }

    /// Checks the uploaded files by content and size, and reads their pages. Throws the message for the
    /// `scan` field when a file is refused; nothing is stored then.
    static func check(_ uploads: [File], reader: ScanReader) async throws -> [(data: Data, name: String, kind: ScanReader.Kind, pages: Int)] {
        let files = uploads.filter { $0.data.readableBytes > 0 }
        guard !files.isEmpty else { throw TransitionError.invalid(["scan": "请选择要上传的扫描件（PDF、JPEG 或 PNG）。"]) }
        guard files.count <= maxFiles else { throw TransitionError.invalid(["scan": "一次最多上传 \(maxFiles) 个文件；多页扫描件请合并为一个 PDF。"]) }
        let total = files.reduce(0) { $0 + $1.data.readableBytes }
        guard total <= maxBytes else {
            throw TransitionError.invalid(["scan": "扫描件合计 \(total / 1024 / 1024) MB，超过 20 MB 的上限。请降低扫描分辨率（150–300 dpi 即可）后重试。"])
        }
        var checked: [(data: Data, name: String, kind: ScanReader.Kind, pages: Int)] = []
        for file in files {
            let data = Data(buffer: file.data)
            let name = TextInput.line(file.filename)
            guard let kind = ScanReader.kind(of: data) else {
                throw TransitionError.invalid(["scan": "“\(name)”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）。"])
            }
            var pages = 1
            if kind == .pdf {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("honors-scan-\(UUID().uuidString).pdf")
                try data.write(to: url)
                defer { try? FileManager.default.removeItem(at: url) }
                if reader.pdfinfo != nil {
                    guard let count = await reader.pageCount(ofPDF: url), count > 0 else {
                        throw TransitionError.invalid(["scan": "“\(name)”无法读取（PDF 可能已损坏或加密），请重新扫描导出后上传。"])
                    }
                    pages = count
                }
            } else if (try? PhotoCheck.inspect(data, maxBytes: nil)) == nil {
                throw TransitionError.invalid(["scan": "“\(name)”无法读取，图片可能已损坏。"])
            }
            checked.append((data, name, kind, pages))
        }
        return checked
    }

    /// The QR codes on the checked files, read from temporary copies.
    static func codes(in files: [(data: Data, name: String, kind: ScanReader.Kind, pages: Int)], reader: ScanReader) async throws -> [String] {
        guard reader.canReadCodes else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var urls: [(url: URL, kind: ScanReader.Kind)] = []
        for (index, file) in files.enumerated() {
            let url = folder.appendingPathComponent("\(index).\(file.kind.fileExtension)")
            try file.data.write(to: url)
            urls.append((url, file.kind))
        }
        return try await reader.codes(in: urls)
    }
}
