import Fluent
import Foundation
import HonorsCore

/// The 纪检 part of a nomination's page, for the alliance: every reply recorded, the latest first.
struct IntegrityView: Encodable {
    struct Reply: Encodable {
        let result: String
        let resultLabel: String
        let note: String
        let replyDate: String
        let recordedBy: String
        let recordedAt: String
        let scanHref: String?
    }

    let latest: Reply?
    let earlier: [Reply]
    let results: [SelectOption]

    static func load(_ nomination: Nomination, on db: any Database) async throws -> IntegrityView {
        let id = try nomination.requireID()
        let replies = try await IntegrityReply.query(on: db).filter(\.$nomination.$id == id).sort(\.$id, .descending).all()
            .map { reply in
                Reply(result: reply.result, resultLabel: IntegrityResult(rawValue: reply.result)?.label ?? reply.result,
                      note: reply.note, replyDate: reply.replyDate, recordedBy: reply.recordedBy,
                      recordedAt: DateFormatting.minute(reply.recordedAt),
                      scanHref: reply.scanFile.map { "/nominations/\(id)/integrity/\($0)" })
            }
        return IntegrityView(latest: replies.first, earlier: Array(replies.dropFirst()),
                             results: IntegrityResult.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: false) })
    }
}
