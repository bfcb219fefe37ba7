@testable import App
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Returned nominations hold their slot while their 补正期限 runs; the quota cells count them from
/// `nomination_fix_tallies`, kept by triggers per 补正期限. Whatever happens to a nomination, the cells must
/// count what a row-by-row count of the nominations gives, and the table must hold no line nothing carries.
@Suite("Returned nominations counted per 补正期限")
struct FixTallyTests {
    typealias Line = [String]

    /// The table's lines: committee, category, 补正期限 (as a day) and count, sorted.
    static func lines(_ app: Application) async throws -> [Line] {
        try await (app.db as! any SQLDatabase).select().columns("committee_id", "category", "fix_until", "n")
            .from(CreateNominationFixTally.table).all().map { row in
                ["\(try row.decode(column: "committee_id", as: Int.self))", try row.decode(column: "category", as: String.self),
                 DayStamp(try row.decode(column: "fix_until", as: Date.self).addingTimeInterval(-1)).description,
                 "\(try row.decode(column: "n", as: Int.self))"]
            }.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// The cells' count (one statement over the tallies) against a count of the nominations row by row.
    static func agree(_ app: Application, at now: Date, _ comment: Comment) async throws {
        let counted = try await QuotaUsage.counts(campaignID: 1, at: now, on: app.db).filter { !$0.value.values.allSatisfy { $0 == 0 } }
        let recounted = try await QuotaUsage.recount(campaignID: 1, at: now, on: app.db)
        #expect(counted == recounted, comment)
    }

    static func returned(committee: Int, category: String = "member", fixBy: String, name: String) -> Nomination {
        let n = Nomination()
        n.version = 1
        n.$campaign.id = 1
        n.$committee.id = committee
        n.category = category
        n.state = NominationState.returned.rawValue
        n.submittedAt = campaignDay
        n.recordDecision(by: "admin", at: campaignDay, reason: "补充材料")
        n.fixBy = fixBy
        n.fixUntil = DayStamp(fixBy)!.end
        n.displayName = name
        n.values = ["name": name]
        n.attestationRecords = [:]
        return n
    }

    /// Room for every nomination these tests make, so `honors check` after them finds no slot overrun.
    static func roomy(_ app: Application) async throws {
        try await CampaignQuota.query(on: app.db).filter(\.$campaign.$id == 1).set(\.$guiding, to: 10).update()
    }

    @Test("returns, several in one statement, a new 补正期限, a move, a resubmission and a deletion keep the counts, and a 补正期限 that passes frees the slot")
    func followsEveryChange() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await app.committeeID("市快递行业党委")
            let waimai = try await app.committeeID("市物业行业党委")
            // Three returned in one INSERT (PostgreSQL counts a statement's rows at once), two sharing a 补正期限.
            let batch = [Self.returned(committee: kuaidi, fixBy: "2024-05-23", name: "甲"),
                         Self.returned(committee: kuaidi, fixBy: "2024-05-23", name: "乙"),
                         Self.returned(committee: kuaidi, category: "worker", fixBy: "2024-05-28", name: "丙")]
            try await Self.roomy(app)
            try await app.write { db in
                try await batch.create(on: db)
                for n in try await Nomination.query(on: db).filter(\.$displayName ~~ ["甲", "乙", "丙"]).all() {
                    try await Audit.record(on: db, actor: .commandLine(), action: "nomination.create", objectType: "nomination",
                                           objectID: "\(try n.requireID())", objectLabel: n.displayName, committeeID: kuaidi, at: campaignDay)
                }
            }
            // (A batch's ids are not read back on every engine.)
            func id(_ name: String) async throws -> Int {
                try #require(try await Nomination.query(on: app.db).filter(\.$displayName == name).first()?.id)
            }
            let (a, b, c) = (try await id("甲"), try await id("乙"), try await id("丙"))
            let submitted = try await app.makeNomination(committee: kuaidi, state: .submitted)
            #expect(try await Self.lines(app) == [["\(kuaidi)", "member", "2024-05-23", "2"], ["\(kuaidi)", "worker", "2024-05-28", "1"]])
            // Another statement's rows added to lines already there, and removed again.
            let more = [Self.returned(committee: kuaidi, fixBy: "2024-05-23", name: "丁"), Self.returned(committee: kuaidi, fixBy: "2024-05-23", name: "戊")]
            try await more.create(on: app.db)
            #expect(try await Self.lines(app) == [["\(kuaidi)", "member", "2024-05-23", "4"], ["\(kuaidi)", "worker", "2024-05-28", "1"]])
            try await Nomination.query(on: app.db).filter(\.$displayName ~~ ["丁", "戊"]).delete()
            #expect(try await Self.lines(app) == [["\(kuaidi)", "member", "2024-05-23", "2"], ["\(kuaidi)", "worker", "2024-05-28", "1"]])
            try await Self.agree(app, at: clock.now(), "three returned, one submitted")
            #expect(try await QuotaUsage.counts(campaignID: 1, at: clock.now(), on: app.db)[kuaidi]?["member"] == 3)

            // Returned again with a later 补正期限: its count moves to the new day.
            try await Nomination.query(on: app.db).filter(\.$id == b).set(\.$fixBy, to: "2024-05-28")
                .set(\.$fixUntil, to: DayStamp("2024-05-28")!.end).update()
            // Moved to another committee, and another category.
            try await Nomination.query(on: app.db).filter(\.$id == c).set(\.$committee.$id, to: waimai).set(\.$category, to: "member").update()
            #expect(try await Self.lines(app) == [["\(kuaidi)", "member", "2024-05-23", "1"], ["\(kuaidi)", "member", "2024-05-28", "1"],
                                                  ["\(waimai)", "member", "2024-05-28", "1"]])
            try await Self.agree(app, at: clock.now(), "after a new 补正期限 and a move")

            // After 23 May only the later 补正期限 holds a slot; the table is unchanged, the cells are not.
            // At the very end of 23 May its 补正期限 has run out.
            let end = DayStamp("2024-05-23")!.end
            #expect(try await QuotaUsage.counts(campaignID: 1, at: end, on: app.db)[kuaidi]?["member"] == 2)
            #expect(try await QuotaUsage.counts(campaignID: 1, at: end.addingTimeInterval(-1), on: app.db)[kuaidi]?["member"] == 3)
            try await Self.agree(app, at: end, "at the end of a 补正期限")
            let later = DayStamp("2024-05-24")!.start.addingTimeInterval(3600)
            #expect(try await QuotaUsage.counts(campaignID: 1, at: later, on: app.db)[kuaidi]?["member"] == 2, "b and the submitted one")
            try await Self.agree(app, at: later, "one 补正期限 passed")

            // Submitted again, and deleted: their lines go when nothing is counted on them.
            try await Nomination.query(on: app.db).filter(\.$id == a).set(\.$state, to: NominationState.submitted.rawValue).update()
            try await Nomination.query(on: app.db).filter(\.$id == c).delete()
            #expect(try await Self.lines(app) == [["\(kuaidi)", "member", "2024-05-28", "1"]])
            try await Self.agree(app, at: clock.now(), "after a resubmission and a deletion")
            #expect(try await QuotaUsage.counts(campaignID: 1, at: clock.now(), on: app.db)[kuaidi]?["member"] == 3)

            // A return through the desk: the same count, on the day the 补正期限 form gave.
            let desk = try await Flow.signedIn(app, "boss3", role: .admin)
            #expect(try await Flow.sendBack(desk, submitted, app: app, fixBy: "2024-06-05").status == .seeOther)
            #expect(try await Self.lines(app).contains(["\(kuaidi)", "member", "2024-06-05", "1"]))
            try await Self.agree(app, at: clock.now(), "after a return through the desk")
        }
    }

    @Test("honors check finds counts of returned nominations that no longer match them")
    func check() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let kuaidi = try await app.committeeID("市快递行业党委")
            _ = try await app.makeNomination(committee: kuaidi, state: .returned)
            #expect(try await InvariantCheck.fixTallies(on: app.db) == [])
            try await (app.db as! any SQLDatabase).raw("UPDATE nomination_fix_tallies SET n = n + 1").run()
            let findings = try await InvariantCheck.fixTallies(on: app.db)
            #expect(findings.count == 1 && findings[0].rule == "fixing" && findings[0].detail.contains("记录 1 条，计数表 2 条"))
            try await (app.db as! any SQLDatabase).raw("DELETE FROM nomination_fix_tallies").run()
            #expect(try await InvariantCheck.fixTallies(on: app.db).map(\.rule) == ["fixing"])
            // A line left at zero, which the triggers would have deleted.
            try await (app.db as! any SQLDatabase).raw("""
                INSERT INTO nomination_fix_tallies (campaign_id, fix_until, committee_id, category, n) \
                SELECT campaign_id, fix_until, committee_id, category, 0 FROM nominations WHERE state = 'returned'
                """).run()
            let zero = try await InvariantCheck.fixTallies(on: app.db)
            #expect(zero.contains { $0.detail.contains("计数为零或负数") })
        }
    }

    @Test("a database from before the table is counted by the migration into the same lines")
    func backfill() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await app.committeeID("市快递行业党委")
            try await Self.roomy(app)
            _ = try await app.makeNomination(committee: kuaidi, state: .returned)
            _ = try await app.makeNomination(committee: kuaidi, category: "worker", state: .returned)
            _ = try await app.makeNomination(committee: kuaidi, state: .submitted)
            let before = try await Self.lines(app)
            #expect(before.count == 2)
            try await MigrationBackfillTests.again(CreateNominationFixTally(), app)
            #expect(try await Self.lines(app) == before)
        }
    }
}
