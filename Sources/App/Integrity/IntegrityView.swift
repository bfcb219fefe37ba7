import Fluent
import Foundation
import HonorsCore
import SQLKit

/// The 纪检 part of a nomination's page, for the alliance: every reply recorded, the latest first.
struct IntegrityView {
    struct Reply {
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
        let replies = try await (db as! any SQLDatabase).select()
            .columns("result", "note", "reply_date", "recorded_by", "recorded_at", "scan_file").from(IntegrityReply.schema)
            .where("nomination_id", .equal, SQLBind(id)).orderBy("id", .descending).all()
            .map { row in
                let result = try row.decode(column: "result", as: String.self)
                return Reply(result: result, resultLabel: IntegrityResult(rawValue: result)?.label ?? result,
                             note: try row.decode(column: "note", as: String.self), replyDate: try row.decode(column: "reply_date", as: String.self),
                             recordedBy: try row.decode(column: "recorded_by", as: String.self),
                             recordedAt: DateFormatting.minute(try row.decode(column: "recorded_at", as: Date.self)),
                             scanHref: try row.decode(column: "scan_file", as: String?.self).map { "/nominations/\(id)/integrity/\($0)" })
            }
        return IntegrityView(latest: replies.first, earlier: Array(replies.dropFirst()),
                             results: IntegrityResult.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: false) })
    }
}
