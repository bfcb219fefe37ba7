import Fluent
import Foundation
import SQLKit

/// What a notification is about.
enum NotificationKind: String, Sendable, CaseIterable {
    case returned, approved, rejected, reverted
    case quotaDecided = "quota_decided"
    case deadlineSoon = "deadline_soon"
    case fixDue = "fix_due"
    case publicity, commended

    var label: String {
        switch self {
        case .returned: "退回修改"
        case .approved: "审核通过"
        case .rejected: "未通过"
        case .reverted: "撤销决定"
        case .quotaDecided: "超额申请"
        case .deadlineSoon: "截止提醒"
        case .fixDue: "补正期限提醒"
        case .publicity: "公示"
        case .commended: "表彰"
        }
    }
}

/// A notification to be made, before its recipients are known.
struct PendingNotice: Sendable {
    var kind: NotificationKind
    var title: String
    var body: String
    var link: String
    /// Set for reminders made by time: the same reminder is made once per person.
    var dedupeKey: String? = nil
}

/// Notifications are made inside the transaction of what caused them: a change that rolls back leaves none.
enum Notifications {
    /// Makes `notice` for every active operator of the committee.
    static func send(_ notice: PendingNotice, toCommittee committeeID: Int, on db: any Database, at now: Date) async throws {
        let users = try await User.query(on: db).filter(\.$committee.$id == committeeID).filter(\.$active == true)
            .filter(\.$roleRaw == "committee").all(\.$id)
        try await send(notice, to: users.compactMap { $0 }, on: db, at: now)
    }

    static func send(_ notice: PendingNotice, to userIDs: [Int], on db: any Database, at now: Date) async throws {
        guard !userIDs.isEmpty, let sql = db as? any SQLDatabase else { return }
        var insert = sql.insert(into: Notification.schema)
            .columns("user_id", "kind", "title", "body", "link", "created_at", "dedupe_key")
        for user in userIDs {
            insert = insert.values(SQLBind(user), SQLBind(notice.kind.rawValue), SQLBind(notice.title),
                                   SQLBind(notice.body), SQLBind(notice.link), SQLBind(now), SQLBind(notice.dedupeKey))
        }
        // A reminder already made for a person is skipped, not an error.
        if notice.dedupeKey != nil { insert = insert.ignoringConflicts() }
        try await insert.run()
    }
}
