import Foundation
import Vapor

enum Download {
    /// A file download with its Chinese name kept: an ASCII fallback plus RFC 5987 `filename*`.
    static func response(_ data: Data, filename: String, contentType: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        label(response, filename: filename, contentType: contentType)
        return response
    }

    /// Sets the headers of a download on a response built elsewhere (a streamed file).
    static func label(_ response: Response, filename: String, contentType: String) {
        let ascii = filename.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" } ? filename
            : "download." + (filename.split(separator: ".").last.map(String.init) ?? "bin")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
    }

    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}
