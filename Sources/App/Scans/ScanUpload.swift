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

        /// What the token vouches for: the files, and the nomination, version, fingerprint, person and time
        /// they were checked at; a token for data that has changed since, or from someone else, is refused.
        struct Claim: Codable, Sendable, Equatable {
            var files: [ScanFile]
            var nomination: Int
            var version: Int
            var fingerprint: String
            var user: Int
            var issued: Date
        }

        /// A pending confirmation lasts this long.
        static let lifetime: TimeInterval = 3600

        static func token(for claim: Claim, secrets: SecretBox) -> String {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            let body = ((try? encoder.encode(claim)) ?? Data()).base64EncodedString()
            return body + "." + secrets.keyedHash("scan-pending:" + body)
        }

        enum Check: Equatable {
            case valid([ScanFile])
            /// Altered, someone else's, or another nomination's.
            case invalid
            /// The nomination changed, or the hour passed, since the files were checked.
            case outdated
        }

        static func check(_ token: String, nominationID: Int, version: Int, fingerprint: String, user: Int, now: Date,
                          secrets: SecretBox) -> Check {
            let parts = token.split(separator: ".", maxSplits: 1).map(String.init)
            // Any key of the ring: a token issued just before a rotation still confirms its files.
            guard parts.count == 2,
                  secrets.keyedHashes("scan-pending:" + parts[0]).contains(where: { CSRFMiddleware.constantTimeEqual($0, parts[1]) }),
                  let data = Data(base64Encoded: parts[0]) else { return .invalid }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            guard let claim = try? decoder.decode(Claim.self, from: data), claim.nomination == nominationID, claim.user == user
            else { return .invalid }
            guard claim.version == version, claim.fingerprint == fingerprint,
                  now.timeIntervalSince(claim.issued) < lifetime else { return .outdated }
            return .valid(claim.files)
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

    /// Seconds one upload's checks may take in all, whatever its files hold.
    static let budget: TimeInterval = 90

    /// One uploaded file, checked.
    struct Checked: Sendable {
        let data: Data
        let name: String
        let kind: ScanReader.Kind
        let pages: Int
    }

    /// Checks the uploaded files by content and size, reads their pages and the QR codes on them, each file
    /// written once to a temporary folder for the helpers. Throws the message for the `scan` field when a
    /// file is refused; nothing is stored then.
    static func examine(_ uploads: [File], reader: ScanReader) async throws -> (files: [Checked], codes: [String]) {
        let started = Date()
        let files = uploads.filter { $0.data.readableBytes > 0 }
        guard !files.isEmpty else { throw TransitionError.invalid(["scan": "请选择要上传的扫描件（PDF、JPEG 或 PNG）。"]) }
        guard files.count <= maxFiles else { throw TransitionError.invalid(["scan": "一次最多上传 \(maxFiles) 个文件；多页扫描件请合并为一个 PDF。"]) }
        let total = files.reduce(0) { $0 + $1.data.readableBytes }
        guard total <= maxBytes else {
            throw TransitionError.invalid(["scan": "扫描件合计 \(total / 1024 / 1024) MB，超过 20 MB 的上限。请降低扫描分辨率（150–300 dpi 即可）后重试。"])
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var checked: [Checked] = []
        var written: [(url: URL, kind: ScanReader.Kind)] = []
        for (index, file) in files.enumerated() {
            let data = Data(buffer: file.data)
            // The name it was uploaded under is kept for display only, and not at any length.
            let name = String(TextInput.line(file.filename).prefix(100))
            guard let kind = ScanReader.kind(of: data) else {
                throw TransitionError.invalid(["scan": "“\(name)”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）。"])
            }
            guard Date().timeIntervalSince(started) < budget else {
                throw TransitionError.invalid(["scan": "扫描件过于复杂，未能在限定时间内读取。请减少文件数量或重新导出后上传。"])
            }
            let url = folder.appendingPathComponent("\(index).\(kind.fileExtension)")
            try data.write(to: url)
            var pages = 1
            if kind == .pdf {
                let outcome = await PDFUploadCheck.examine(data, at: url, name: name, reader: reader)
                if let refusal = outcome.refusal { throw TransitionError.invalid(["scan": refusal]) }
                pages = outcome.pages ?? 1
            } else {
                guard let image = try? PhotoCheck.inspect(data, maxBytes: nil) else {
                    throw TransitionError.invalid(["scan": "“\(name)”无法读取，图片可能已损坏。"])
                }
                guard PhotoCheck.fits(image.width, image.height, within: ScanReader.maxImagePixels) else {
                    throw TransitionError.invalid(["scan": "“\(name)”为 \(image.width)×\(image.height) 像素，尺寸过大。请以 150–300 dpi 扫描后上传。"])
                }
            }
            checked.append(Checked(data: data, name: name, kind: kind, pages: pages))
            written.append((url, kind))
        }
        return (checked, reader.canReadCodes ? try await reader.codes(in: written) : [])
    }
}
