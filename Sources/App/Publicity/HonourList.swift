import Fluent
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

    /// The nominations of `campaignID` in `states`, as listed.
    static func load(campaignID: Int, states: Set<NominationState>, on db: any Database) async throws -> HonourList {
        let committees = try await Committee.query(on: db).field(\.$id).field(\.$name).field(\.$sortOrder).all()
        let order = Dictionary(uniqueKeysWithValues: committees.compactMap { c in c.id.map { ($0, (c.sortOrder, c.name)) } })
        let rows = try await Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$state ~~ states.map(\.rawValue))
            .field(\.$id).field(\.$version).field(\.$state).field(\.$category).field(\.$committee.$id)
            .field(\.$displayName).field(\.$data).field(\.$deedsSummary)
            .sort(\.$id).all()
        let categoryOrder = Dictionary(uniqueKeysWithValues: NominationCategory.allCases.enumerated().map { ($1, $0) })
        let entries = try rows.map { n -> Entry in
            let category = n.categoryValue
            let values = Nomination.values(from: n.data)
            let person = category.isPerson
            return Entry(id: try n.requireID(), version: n.version, state: n.state, category: category,
                         committee: order[n.$committee.id]?.1 ?? "", name: n.displayName,
                         gender: person ? values["gender"] ?? "" : "",
                         ethnicity: person ? values["ethnicity"].flatMap(Ethnicity.lookup)?.name ?? "" : "",
                         unit: person ? values["unit_and_position"] ?? "" : values["org_unit"] ?? "",
                         summary: n.deedsSummary ?? "")
        }
        let sorted = entries.enumerated().sorted { a, b in
            let ka = (categoryOrder[a.element.category] ?? 0, order[committeeID(rows[a.offset])]?.0 ?? Int.max, a.offset)
            let kb = (categoryOrder[b.element.category] ?? 0, order[committeeID(rows[b.offset])]?.0 ?? Int.max, b.offset)
            return ka < kb
        }.map(\.element)
        return HonourList(entries: sorted)
    }

    private static func committeeID(_ n: Nomination) -> Int { n.$committee.id }
}
