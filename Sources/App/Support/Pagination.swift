import Fluent
import Vapor

/// A page of a list, counted and cut in the database (never loads a whole table).
struct PageInfo: Encodable {
    let page: Int
    let pages: Int
    let total: Int
    let previous: String?
    let next: String?

    static let size = 50

    /// Reads `?page=` (1 when missing or nonsense), counts and fetches that page of `query`.
    static func fetch<M: Model>(_ query: QueryBuilder<M>, req: Request, baseQuery: String = "") async throws -> ([M], PageInfo) {
        let total = try await query.copy().count()
        let pages = max(1, (total + size - 1) / size)
        let page = min(max(1, req.query[Int.self, at: "page"] ?? 1), pages)
        let items = try await query.range(((page - 1) * size)..<(page * size)).all()
        let prefix = req.url.path + "?" + (baseQuery.isEmpty ? "" : baseQuery + "&") + "page="
        return (items, PageInfo(page: page, pages: pages, total: total,
                                previous: page > 1 ? prefix + "\(page - 1)" : nil,
                                next: page < pages ? prefix + "\(page + 1)" : nil))
    }
}
