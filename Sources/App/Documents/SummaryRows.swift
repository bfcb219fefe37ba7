import Fluent
import Foundation
import HonorsCore
import SQLKit

extension SummaryWorkbook {
    /// Nominations read per query: the rows of a 10 000-nomination campaign are built without holding
    /// 10 000 database rows (and their sealed columns) at once.
    static let batchSize = 500

    /// The rows of a campaign's 汇总表 within `scope`, ID number and phone decrypted, in committee order.
    static func rows(campaignID: Int, scope: ExportScope, secrets: SecretBox, on db: any Database) async throws -> [Row] {
        var committees = try await Committee.query(on: db).sort(\.$sortOrder).sort(\.$id).all()
            .filter { !scope.excludedCommittees.contains($0.id ?? 0) }
        if let committeeID = scope.committeeID { committees = committees.filter { $0.id == committeeID } }
        let states = scope.states
        // Plain SQL over the columns a row needs: building 10 000 full models costs more than the rest.
        let sql = db as! any SQLDatabase
        var rows: [Row] = []
        // Committee by committee, each in id order along nominations_committee_order: rows come out in the
        // order of the sheets, and no batch sorts what the previous ones read.
        for committee in committees {
            let committeeID = try committee.requireID()
            var lastID = 0
            while true {
                var query = sql.select()
                    .columns("id", "category", "state", "data", "id_number_enc", "phone_enc", "attestations", "photo_file",
                             "alliance_opinion", "alliance_opinion_date")
                    .from(Nomination.schema)
                    .where("campaign_id", .equal, campaignID).where("committee_id", .equal, committeeID)
                    .where("id", .greaterThan, lastID)
                query = query.where("state", .in, states.map(\.rawValue))
                let batch = try await query.orderBy("id").limit(batchSize).all()
                for record in batch {
                    lastID = try record.decode(column: "id", as: Int.self)
                    let stored = Nomination.values(from: try record.decode(column: "data", as: String.self))
                    var values = stored.merging(try NominationService.personalData(
                        idNumberSealed: try record.decode(column: "id_number_enc", as: String?.self),
                        phoneSealed: try record.decode(column: "phone_enc", as: String?.self), secrets: secrets)) { $1 }
                    values["alliance_opinion"] = try record.decode(column: "alliance_opinion", as: String?.self)
                    values["alliance_opinion_date"] = try record.decode(column: "alliance_opinion_date", as: String?.self)
                    let category = NominationCategory(rawValue: try record.decode(column: "category", as: String.self)) ?? .member
                    let state = NominationState(rawValue: try record.decode(column: "state", as: String.self)) ?? .draft
                    let attested = Nomination.attestedKeys(from: try record.decode(column: "attestations", as: String.self))
                    let photo = try record.decode(column: "photo_file", as: String?.self)
                    rows.append(Row(committee: committee.name, category: category, state: state, values: values,
                                    attested: attested, hasPhoto: photo != nil))
                }
                guard batch.count == batchSize else { break }
            }
        }
        return rows
    }
}
