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

    static func load(_ campaign: Campaign, on db: any Database) async throws -> ReviewOverview {
        let campaignID = try campaign.requireID()
        let counts = try await NominationTally(campaignID: campaignID).byCommitteeCategoryState(on: db)
        let quotas = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == campaignID).all()
        let committees = try await Committee.query(on: db).sort(\.$sortOrder).all()
            .filter { c in quotas.contains { $0.$committee.id == c.id } }
        let rows = try committees.map { committee -> Row in
            let id = try committee.requireID()
            let cells = NominationCategory.quotaTableOrder.map { category -> Cell in
                let quota = quotas.first { $0.$committee.id == id && $0.category == category.rawValue }
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
        let review = NominationTally(campaignID: campaignID, states: NominationWorkflow.underReview.map(\.rawValue))
        let idle = rows.filter(\.nothingSubmitted).map(\.committee)
        return ReviewOverview(
            campaignID: campaignID, categories: NominationCategory.quotaTableOrder.map(\.label), rows: rows, idleCommittees: idle,
            withoutCurrentScan: try await [ScanState.none, .stale].map { scan in review.with { $0.scan = scan } }.total(on: db),
            withoutIntegrity: try await review.with { $0.integrity = "none" }.total(on: db),
            underReview: try await review.total(on: db))
    }
}
