import Fluent
import Foundation
import HonorsCore

extension SummaryWorkbook {
    /// Nominations read per query: the rows of a 10 000-nomination campaign are built without holding
    /// 10 000 models (and their sealed columns) at once.
    static let batchSize = 500

    /// The rows of a campaign's 汇总表, ID number and phone decrypted, in committee order. `committeeID`
    /// limits them to one committee; `states` to some states (nil: all).
    static func rows(campaignID: Int, committeeID: Int?, states: Set<NominationState>? = nil,
                     secrets: SecretBox, on db: any Database) async throws -> [Row] {
        let committees = try await Committee.query(on: db).all()
        let names = Dictionary(uniqueKeysWithValues: committees.compactMap { c in c.id.map { ($0, c.name) } })
        let order = Dictionary(uniqueKeysWithValues: committees.compactMap { c in c.id.map { ($0, c.sortOrder) } })
        var rows: [(order: Int, id: Int, row: Row)] = []
        var lastID = 0
        while true {
            var query = Nomination.query(on: db).filter(\.$campaign.$id == campaignID).filter(\.$id > lastID)
            if let committeeID { query = query.filter(\.$committee.$id == committeeID) }
            if let states { query = query.filter(\.$state ~~ states.map(\.rawValue)) }
            let batch = try await query.sort(\.$id).limit(batchSize).all()
            for nomination in batch {
                let values = nomination.values.merging(try NominationService.personalData(of: nomination, secrets: secrets)) { $1 }
                let committee = nomination.$committee.id
                rows.append((order[committee] ?? .max, try nomination.requireID(),
                             Row(committee: names[committee] ?? "", category: nomination.categoryValue,
                                 state: nomination.stateValue, values: values)))
            }
            guard batch.count == batchSize, let last = batch.last?.id else { break }
            lastID = last
        }
        return rows.sorted { ($0.order, $0.id) < ($1.order, $1.id) }.map(\.row)
    }
}
