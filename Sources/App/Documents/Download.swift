import Foundation
import Vapor

enum Download {
    /// A file download with its Chinese name kept: an ASCII fallback plus RFC 5987 `filename*`.
    static func response(_ data: Data, filename: String, contentType: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        let ascii = filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" } ? filename
            : "download." + (filename.split(separator: ".").last.map(String.init) ?? "bin")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}
