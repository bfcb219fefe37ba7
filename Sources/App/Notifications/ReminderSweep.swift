import Fluent
import Foundation
import HonorsCore
import Vapor

/// Reminders made by time rather than by an action: a campaign's deadline in 3 days or less, a return's
/// 补正期限 tomorrow. Each is made once per person (its dedupe key), so every instance may sweep.
enum ReminderSweep {
    /// Minutes between sweeps of a running server.
    static let interval: Int64 = 10

    static func run(_ app: Application, now: Date) async throws {
        let today = DayStamp(now)
        try await deadlines(app, today: today, now: now)
        try await fixDue(app, today: today, now: now)
    }

    /// Committees with a quota in a campaign whose last day (their extension's, if any) is 1 to 3 days away.
    private static func deadlines(_ app: Application, today: DayStamp, now: Date) async throws {
        let campaigns = try await Campaign.query(on: app.db).sort(\.$issuedOn, .descending).limit(20).all()
            .filter { $0.issued.start <= now }
        for campaign in campaigns {
            let campaignID = try campaign.requireID()
            let deadlines = try await CampaignDeadlines.load(campaign, on: app.db)
            let committees = Set(try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == campaignID).all()
                .map { $0.$committee.id })
            for committeeID in committees.sorted() {
                let last = deadlines.lastDay(for: committeeID)
                guard today <= last, today.adding(days: 3) >= last else { continue }
                let left = (0...3).first { today.adding(days: $0) == last } ?? 0
                let drafts = try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaignID)
                    .filter(\.$committee.$id == committeeID).filter(\.$state ~~ [NominationState.draft.rawValue, NominationState.returned.rawValue])
                    .count()
                let when = left == 0 ? "今天" : "还有 \(left) 天"
                let notice = PendingNotice(
                    kind: .deadlineSoon, title: "报送截止\(when)：\(campaign.documentNumber)",
                    body: "本党委的报送截止日期为 \(last.chinese)。" + (drafts > 0 ? "尚有 \(drafts) 个推荐未上报。" : ""),
                    link: "/nominations", dedupeKey: "deadline:\(campaignID):\(last)")
                try await app.write { db in
                    try await Notifications.send(notice, toCommittee: committeeID, on: db, at: now)
                }
            }
        }
    }

    /// Returned nominations whose 补正期限 is tomorrow.
    private static func fixDue(_ app: Application, today: DayStamp, now: Date) async throws {
        let tomorrow = today.adding(days: 1).description
        let due = try await Nomination.query(on: app.db).filter(\.$state == NominationState.returned.rawValue)
            .filter(\.$fixBy == tomorrow).field(\.$id).field(\.$displayName).field(\.$committee.$id).all()
        for nomination in due {
            let id = try nomination.requireID()
            let notice = PendingNotice(
                kind: .fixDue, title: "补正期限明天到期：\(nomination.displayName)",
                body: "退回修改的补正期限为 \(DayStamp(tomorrow)?.chinese ?? tomorrow)，请在期限内修改并重新上报，逾期将不再占用名额。",
                link: "/nominations/\(id)", dedupeKey: "fix:\(id):\(tomorrow)")
            try await app.write { db in
                try await Notifications.send(notice, toCommittee: nomination.$committee.id, on: db, at: now)
            }
        }
    }
}
