import Fluent
import SQLKit
import Foundation
import HonorsCore

/// The 拟表彰 and 表彰 lists as the public, the posted notice and the decision show them: per nominee only
/// 姓名, 性别, 民族, 工作单位及职务 (or the organisation and its unit) and the alliance's summary of the deeds,
/// in the decision's order (category, committee in the notice's order, then entry). Nothing else is read.
struct HonourList: Sendable {
    struct Entry: Sendable, Encodable {
        let id: Int
        let version: Int
        let state: String
        let category: NominationCategory
        let committee: String
        /// 姓名, or the organisation's name.
        let name: String
        let gender: String
        let ethnicity: String
        /// 工作单位及职务, or the organisation's unit.
        let unit: String
        let summary: String
    }

    let entries: [Entry]

    /// The entries of one category, in order.
    func of(_ category: NominationCategory) -> [Entry] { entries.filter { $0.category == category } }

    var isEmpty: Bool { entries.isEmpty }

    /// The nominations of `campaignID` in `states`, as listed: one statement over the columns shown (the public
    /// page reads this for every visitor).
    static func load(campaignID: Int, states: Set<NominationState>, on db: any Database) async throws -> HonourList {
        guard !states.isEmpty else { return HonourList(entries: []) }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT n.id, n.version, n.state, n.category, n.display_name, n.data, n.deeds_summary,
                   c.name AS committee, c.sort_order
            FROM nominations n JOIN committees c ON c.id = n.committee_id
            WHERE n.campaign_id = \(bind: campaignID) AND n.state IN (\(binds: states.map(\.rawValue).sorted()))
            ORDER BY n.id
            """).all()
        let categoryOrder = Dictionary(uniqueKeysWithValues: NominationCategory.allCases.enumerated().map { ($1, $0) })
        var keyed: [(key: (Int, Int, Int), entry: Entry)] = []
        for (offset, row) in rows.enumerated() {
            let category = NominationCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .member
            let values = Nomination.values(from: try row.decode(column: "data", as: String.self))
            let person = category.isPerson
            let entry = Entry(id: try row.decode(column: "id", as: Int.self), version: try row.decode(column: "version", as: Int.self),
                              state: try row.decode(column: "state", as: String.self), category: category,
                              committee: try row.decode(column: "committee", as: String.self),
                              name: try row.decode(column: "display_name", as: String.self),
                              gender: person ? values["gender"] ?? "" : "",
                              ethnicity: person ? values["ethnicity"].flatMap(Ethnicity.lookup)?.name ?? "" : "",
                              unit: person ? values["unit_and_position"] ?? "" : values["org_unit"] ?? "",
                              summary: try row.decode(column: "deeds_summary", as: String?.self) ?? "")
            keyed.append(((categoryOrder[category] ?? 0, try row.decode(column: "sort_order", as: Int.self), offset), entry))
        }
        return HonourList(entries: keyed.sorted { $0.key < $1.key }.map(\.entry))
    }
}
