import Fluent
import Foundation
import HonorsCore
import SQLKit

/// The administrator's view of a campaign on the dashboard: per committee and category how many
/// nominations are in each state (drafts counted only, never shown) against guiding and granted, and what
/// is still missing: committees with nothing submitted, nominations without a current scan or a 纪检 reply.
struct ReviewOverview {
    struct Cell {
        let category: String
        let label: String
        let guiding: Int
        let granted: Int
        let drafts: Int
        let submitted: Int
        let returned: Int
        let approved: Int
        let rejected: Int
    }

    struct Row {
        let committeeID: Int
        let committee: String
        let cells: [Cell]
        let nothingSubmitted: Bool
    }

    let campaignID: Int
    let categories: [String]
    let rows: [Row]
    let idleCommittees: [String]
    let withoutCurrentScan: Int
    let withoutIntegrity: Int
    let underReview: Int

    static func load(_ sheet: QuotaSheet, on db: any Database) async throws -> ReviewOverview {
        let campaignID = sheet.campaignID
        let counts = try await NominationTally(campaignID: campaignID).byCommitteeCategoryState(on: db)
        let quotas = sheet.quotas
        let committees = sheet.committees.filter { c in quotas.contains { $0.committeeID == c.id } }
        let rows = committees.map { committee -> Row in
            let id = committee.id
            let cells = NominationCategory.quotaTableOrder.map { category -> Cell in
                let quota = quotas.first { $0.committeeID == id && $0.category == category.rawValue }
                func n(_ state: NominationState) -> Int {
                    counts[.init(committee: id, category: category.rawValue, state: state.rawValue)] ?? 0
                }
                return Cell(category: category.rawValue, label: category.label, guiding: quota?.guiding ?? 0,
                            granted: quota?.granted ?? 0, drafts: n(.draft), submitted: n(.submitted), returned: n(.returned),
                            // Approved, and on from there (公示, its outcome, 表彰): each was approved by the alliance.
                            approved: ([.approved] + NominationState.afterApproval).map(n).reduce(0, +), rejected: n(.rejected))
            }
            let reached = cells.reduce(0) { $0 + $1.submitted + $1.returned + $1.approved + $1.rejected }
            return Row(committeeID: id, committee: committee.name, cells: cells, nothingSubmitted: reached == 0)
        }
        // What is under review, by scan and 纪检 reply: the three figures above the table in one read.
        let review = try await NominationTally(campaignID: campaignID, states: NominationWorkflow.underReview.map(\.rawValue))
            .byScanAndIntegrity(on: db)
        func count(_ holds: (String, String) -> Bool) -> Int { review.filter { holds($0.scan, $0.integrity) }.reduce(0) { $0 + $1.n } }
        return ReviewOverview(
            campaignID: campaignID, categories: NominationCategory.quotaTableOrder.map(\.label), rows: rows,
            idleCommittees: rows.filter(\.nothingSubmitted).map(\.committee),
            withoutCurrentScan: count { scan, _ in scan != ScanState.current.rawValue },
            withoutIntegrity: count { _, integrity in integrity == "none" },
            underReview: count { _, _ in true })
    }
}
