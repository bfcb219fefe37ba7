import Fluent
import SQLKit
import Vapor

/// A page of a list, counted and cut in the database (never loads a whole table).
///
/// Lists that know their total without counting rows (`NominationTally`, the audit chain's head) pass it in,
/// and a page in the second half of the list is read from the list's far end with the order reversed, so the
/// last page costs what the first does. A search passes no total: it reads one row more than a page to know
/// whether there is a next, and never counts its matches (`pages` and `total` are then nil: "更多").
struct PageInfo: Encodable {
    let page: Int
    let pages: Int?
    let total: Int?
    let previous: String?
    let next: String?
    /// The pager under a list: links to the pages either side and where this page is.
    var pager: HTML {
        let position: HTML = if let pages, let total {
            "<span>第 \(page) / \(pages) 页，共 \(total) 条</span>"
        } else {
            "<span>第 \(page) 页\(HTML.when(next != nil, "，后面还有"))</span>"
        }
        return """
            <nav class="pager" aria-label="分页">
              \(previous.map { "<a href=\"\($0)\">上一页</a>" } ?? HTML())
              \(position)
              \(next.map { "<a href=\"\($0)\">下一页</a>" } ?? HTML())
            </nav>
            """
    }

    /// Templates show a list's pager as it is written here.
    enum CodingKeys: String, CodingKey { case pager }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pager.markup, forKey: .pager)
    }

    static let size = 50

    /// Reads `?page=` (1 when missing or nonsense), counts and fetches that page of `query`.
    static func fetch<M: Model>(_ query: QueryBuilder<M>, req: Request, baseQuery: String = "") async throws -> ([M], PageInfo) {
        try await fetch(query, total: .count, req: req, baseQuery: baseQuery)
    }

    /// How a list learns its length.
    enum Total {
        /// `COUNT(*)` of the query: for lists that stay short (accounts, campaigns, requests).
        case count
        /// Known without reading rows.
        case known(Int)
        /// Not counted: "下一页" while there is more.
        case uncounted
    }

    /// `query` must be sorted in a total order (ending in the id) for the far-end read to be the same rows.
    static func fetch<M: Model>(_ query: QueryBuilder<M>, total: Total, req: Request, baseQuery: String = "") async throws -> ([M], PageInfo) {
        try await fetch(query, total: total, req: req, baseQuery: baseQuery) { range in try await query.copy().range(range).all() }
    }

    private static func fetch<M: Model, Item>(_ query: QueryBuilder<M>, total: Total, req: Request, baseQuery: String,
                                             read: (Range<Int>) async throws -> [Item]) async throws -> ([Item], PageInfo) {
        let count: Int?
        switch total {
        case .count: count = try await query.copy().count()
        case .known(let known): count = known
        case .uncounted: count = nil
        }
        return try await page(count: count, req: req, baseQuery: baseQuery) { range, reversed in
            // Nearer the far end: the same rows, counted from there in the reverse order.
            if reversed { query.query.sorts = query.query.sorts.map(Self.reversed) }
            return try await read(range)
        }
    }

    /// The page of `?page=` of a statement's rows, each read by `row`; `order` (a total order, ending in the id)
    /// is added here, reversed for a page nearer the far end. `total` nil: not counted, "下一页" while there is
    /// more. Lists read most are statements rather than Fluent queries: Fluent makes a model for every key path
    /// and every run, reflecting over its properties, a fifth of a list page's time.
    static func fetch<Row>(_ select: SQLSelectBuilder, order: [(any SQLExpression, SQLDirection)], total: Int?,
                           req: Request, baseQuery: String = "", row: (PlainRow) throws -> Row) async throws -> ([Row], PageInfo) {
        try await page(count: total, req: req, baseQuery: baseQuery) { range, reversed in
            for (expression, direction) in order {
                let flipped: SQLDirection = direction == .descending ? .ascending : .descending
                select.orderBy(expression, reversed ? flipped : direction)
            }
            return try await select.offset(range.lowerBound).limit(range.count).plainRows().map(row)
        }
    }

    /// Which rows `?page=` is, read by `read(range, reversed)`: with `reversed` the range counts from the far end
    /// in the reverse order (the items come back in it and are turned round here).
    private static func page<Item>(count: Int?, req: Request, baseQuery: String,
                                   read: (Range<Int>, Bool) async throws -> [Item]) async throws -> ([Item], PageInfo) {
        // `read` is called once.
        let requested = max(1, req.queryInt("page") ?? 1)
        let prefix = req.url.path + "?" + (baseQuery.isEmpty ? "" : baseQuery + "&") + "page="
        guard let count else {
            let page = min(requested, 10_000)
            let items = try await read(((page - 1) * size)..<(page * size + 1), false)
            let more = items.count > size
            return (Array(items.prefix(size)), PageInfo(page: page, pages: nil, total: nil,
                                                        previous: page > 1 ? prefix + "\(page - 1)" : nil,
                                                        next: more ? prefix + "\(page + 1)" : nil))
        }
        let pages = max(1, (count + size - 1) / size)
        let page = min(requested, pages)
        let info = PageInfo(page: page, pages: pages, total: count,
                            previous: page > 1 ? prefix + "\(page - 1)" : nil,
                            next: page < pages ? prefix + "\(page + 1)" : nil)
        let start = (page - 1) * size, end = min(page * size, count)
        guard start > count - end, end > start else {
            return (try await read(start..<(start + size), false), info)
        }
        return (try await read((count - end)..<(count - start), true).reversed(), info)
    }

    private static func reversed(_ sort: DatabaseQuery.Sort) -> DatabaseQuery.Sort {
        guard case .sort(let field, let direction) = sort else { return sort }
        switch direction {
        case .ascending: return .sort(field, .descending)
        case .descending: return .sort(field, .ascending)
        default: return sort
        }
    }
}
