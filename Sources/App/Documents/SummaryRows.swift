import Fluent
import Foundation
import HonorsCore
import SQLKit

extension SummaryWorkbook {
    /// Nominations read per query: the rows of a 10 000-nomination campaign are built without holding
    /// 10 000 database rows (and their sealed columns) at once.
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
        let decoder = JSONDecoder()
        // Plain SQL over the columns a row needs: building 10 000 full models costs more than the rest.
        let sql = db as! any SQLDatabase
        while true {
            var query = sql.select()
                .columns("id", "committee_id", "category", "state", "data", "id_number_enc", "phone_enc",
                         "attestations", "photo_file")
                .from(Nomination.schema)
                .where("campaign_id", .equal, campaignID).where("id", .greaterThan, lastID)
            if let committeeID { query = query.where("committee_id", .equal, committeeID) }
            if let states { query = query.where("state", .in, states.map(\.rawValue)) }
            let batch = try await query.orderBy("id").limit(batchSize).all()
            for record in batch {
                let id = try record.decode(column: "id", as: Int.self)
                let committee = try record.decode(column: "committee_id", as: Int.self)
                let stored = (try? decoder.decode([String: String].self,
                                                  from: Data(try record.decode(column: "data", as: String.self).utf8))) ?? [:]
                let values = stored.merging(try NominationService.personalData(
                    idNumberSealed: try record.decode(column: "id_number_enc", as: String?.self),
                    phoneSealed: try record.decode(column: "phone_enc", as: String?.self), secrets: secrets)) { $1 }
                let category = NominationCategory(rawValue: try record.decode(column: "category", as: String.self)) ?? .member
                let state = NominationState(rawValue: try record.decode(column: "state", as: String.self)) ?? .draft
                let attested = Nomination.attestationRecords(from: try record.decode(column: "attestations", as: String.self))
                let photo = try record.decode(column: "photo_file", as: String?.self)
                rows.append((order[committee] ?? .max, id,
                             Row(committee: names[committee] ?? "", category: category, state: state, values: values,
                                 attested: Set(attested.keys), hasPhoto: photo != nil)))
                lastID = id
            }
            guard batch.count == batchSize else { break }
        }
        return rows.sorted { ($0.order, $0.id) < ($1.order, $1.id) }.map(\.row)
    }
}
