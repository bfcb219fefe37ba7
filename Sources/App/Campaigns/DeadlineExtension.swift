import Fluent
import Foundation
import HonorsCore

/// The administrator's extension of a campaign's deadline for one committee, with the reason on record.
final class DeadlineExtension: Model, @unchecked Sendable {
    static let schema = "deadline_extensions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "committee_id") var committee: Committee
    /// The new last day (`YYYY-MM-DD`, Beijing), inclusive.
    @Field(key: "until_on") var untilOn: String
    @Field(key: "reason") var reason: String
    @Field(key: "granted_by") var grantedBy: String

    init() {}

    var until: DayStamp? { DayStamp(untilOn) }
}

extension Campaign {
    /// The end of the day by which `committeeID` must have submitted: the campaign's deadline, or the latest
    /// extension granted to that committee.
    func deadlineEnd(for committeeID: Int?, on db: any Database) async throws -> Date {
        guard let committeeID, let id else { return deadline.end }
        let extensions = try await DeadlineExtension.query(on: db).filter(\.$campaign.$id == id)
            .filter(\.$committee.$id == committeeID).all()
        return extensions.compactMap { $0.until?.end }.reduce(deadline.end, max)
    }
}
