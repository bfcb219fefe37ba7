import Foundation
import Vapor

/// The query string's `key=value` pairs, parsed once per request. `req.query[T.self, at:]` decodes the whole
/// query again for every key asked, percent-decoding through Foundation's string search: a list page asks for
/// half a dozen filters, and that was a few percent of its time.
struct QueryValues: Sendable {
    private let values: [String: String]

    /// As Vapor's decoder reads them: the last value of a repeated key (`a=1&a=2` reads 2), a key without `=`
    /// absent, `+` a space as in a form's GET; a pair whose escapes are broken is left out.
    init(_ query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = Self.decode(parts[0]), let value = Self.decode(parts[1]) else { continue }
            values[key] = value
        }
        self.values = values
    }

    subscript(key: String) -> String? { values[key] }

    private static func decode(_ raw: Substring) -> String? {
        guard raw.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(raw) }
        return String(decoding: raw.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self).removingPercentEncoding
    }
}

extension Request {
    private struct QueryValuesKey: StorageKey { typealias Value = QueryValues }

    /// `key`'s value in the query string (`?q=王`), nil when absent or not decodable.
    func queryValue(_ key: String) -> String? {
        if let parsed = storage[QueryValuesKey.self] { return parsed[key] }
        let parsed = QueryValues(url.query)
        storage[QueryValuesKey.self] = parsed
        return parsed[key]
    }

    /// `key`'s value as a whole number, nil when absent or not one.
    func queryInt(_ key: String) -> Int? {
        queryValue(key).flatMap { Int($0) }
    }
}
