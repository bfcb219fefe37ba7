@testable import App
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The composition report's tables read every committee's counts from `nomination_composition_overall`, kept from
/// `nomination_composition` by triggers: whatever changes the per-committee counts, the overall lines must be
/// their sum, and the committees a page leaves out must not be in its tables.
@Suite("Composition of every committee together")
struct CompositionOverallTests {
    /// Non-zero lines, "campaign category facet value list" → n.
    static func read(_ app: Application, _ query: String) async throws -> [String: Int] {
        var lines: [String: Int] = [:]
        for row in try await (app.db as! any SQLDatabase).raw(SQLQueryString(query)).all() {
            let key = ["\(try row.decode(column: "campaign_id", as: Int.self))", try row.decode(column: "category", as: String.self),
                       try row.decode(column: "facet", as: String.self), try row.decode(column: "value", as: String.self)].joined(separator: " ")
            for stage in CompositionStage.allCases {
                let n = try row.decode(column: stage.rawValue, as: Int.self)
                if n != 0 { lines[key + " " + stage.rawValue, default: 0] += n }
            }
        }
        return lines
    }

    static func overall(_ app: Application) async throws -> [String: Int] {
        try await read(app, "SELECT campaign_id, category, facet, value, submitted, approved FROM \(CreateCompositionOverall.table)")
    }

    /// The per-committee counts summed over committees, and over the states of each list.
    static func summed(_ app: Application) async throws -> [String: Int] {
        func sum(_ stage: CompositionStage) -> String {
            "CAST(SUM(CASE WHEN \(CreateCompositionOverall.within(stage)) THEN n ELSE 0 END) AS BIGINT) AS \(stage.rawValue)"
        }
        return try await read(app, """
            SELECT campaign_id, category, facet, value, \(sum(.submitted)), \(sum(.approved)) FROM nomination_composition \
            GROUP BY campaign_id, category, facet, value
            """)
    }

    @Test("the overall lines are the per-committee counts summed after edits, moves, deletions, several rows in one statement and direct changes; the migration counts rows already there; honors check finds a line apart")
    func follows() async throws {
        try await withHonorsApp(checkInvariants: false) { app, clock in
            let (kuaidi, jiaotong, ids) = try await CompositionTests.campaign(app)
            #expect(try await Self.overall(app) == Self.summed(app))
            #expect(try await Self.overall(app)["1 member gender 女 submitted"] == 2, "A and F")
            #expect(try await Self.overall(app)["1 member gender 女 approved"] == 1, "F")
            // A's gender corrected, B rejected, C deleted, F moved to 快递.
            var a = CompositionTests.person("男", ethnicity: "02", born: "1990-01", joined: "2015-06", education: "14", frontline: true)
            a["deeds"] = "新的事迹。"
            try await Nomination.query(on: app.db).filter(\.$id == ids["A"]!).set(\.$data, to: Nomination.encoded(a)).update()
            try await Nomination.query(on: app.db).filter(\.$id == ids["B"]!).set(\.$state, to: NominationState.rejected.rawValue).update()
            try await Nomination.query(on: app.db).filter(\.$id == ids["C"]!).delete()
            try await Nomination.query(on: app.db).filter(\.$id == ids["F"]!).set(\.$committee.$id, to: kuaidi).update()
            #expect(try await Self.overall(app) == Self.summed(app))
            #expect(try await Self.overall(app)["1 member gender 女 submitted"] == 1, "A is 男 now")
            // Several nominations in one statement, values old and new (PostgreSQL sums a statement's rows at once).
            let batch = (0..<3).map { index in
                let n = Nomination()
                n.version = 1
                n.$campaign.id = 1
                n.$committee.id = index == 0 ? kuaidi : jiaotong
                n.category = "member"
                n.state = NominationState.submitted.rawValue
                n.submittedAt = clock.now()
                n.displayName = "批量\(index)"
                n.values = CompositionTests.person(index == 2 ? "男" : "女", born: "196\(index)-01", joined: "1990-01", education: "21",
                                                   frontline: true)
                n.attestationRecords = [:]
                return n
            }
            try await batch.create(on: app.db)
            #expect(try await Self.overall(app) == Self.summed(app))
            #expect(try await Self.overall(app)["1 member gender 女 submitted"] == 3)
            // The per-committee lines changed directly: a count, a key, a deletion.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE nomination_composition SET n = n + 2 WHERE facet = 'education'").run()
            try await sql.raw("UPDATE nomination_composition SET value = 'x' WHERE facet = 'gender' AND value = '女'").run()
            try await sql.raw(SQLQueryString("DELETE FROM nomination_composition WHERE committee_id = \(literal: jiaotong)")).run()
            #expect(try await Self.overall(app) == Self.summed(app))
            #expect(try await Self.overall(app)["1 member gender x submitted"] == 2, "F and the first of the batch")
            #expect(try await Self.overall(app)["1 member gender x approved"] == 1)
            // Rebuilt from what is there.
            let before = try await Self.overall(app)
            try await MigrationBackfillTests.again(CreateCompositionOverall(), app)
            #expect(try await Self.overall(app) == before)
            // Back in step with the forms, then one line off.
            try await MigrationBackfillTests.again(CreateNominationComposition(), app)
            try await MigrationBackfillTests.again(CreateCompositionOverall(), app)
            #expect(try await InvariantCheck.compositionOverall(on: app.db) == [])
            try await sql.raw("UPDATE nomination_composition_overall SET submitted = submitted + 1 WHERE category = 'member' AND facet = 'gender' AND value = '男'").run()
            let findings = try await InvariantCheck.compositionOverall(on: app.db)
            #expect(findings.count == 1 && findings.allSatisfy { $0.rule == "composition" && $0.detail.contains("gender / 男 / submitted") })
            #expect(try await InvariantCheck.composition(on: app.db) == [], "the per-committee counts are right")
        }
    }

    @Test("a committee without a quota that holds nominations is left out of the tables, as a recused one is, and a single committee reads its own")
    func leftOut() async throws {
        // (Without its quota 交通's nomination overruns it: honors check would say so.)
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let (kuaidi, jiaotong, _) = try await CompositionTests.campaign(app)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            #expect(CompositionTests.row(try await admin.get("/campaigns/1/composition"), section: "facet-gender", "女") == ["2", "50.0%", "1", "33.3%"])
            // 交通 loses its quota: its F is in no table (nor a committee line) of the whole campaign.
            try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == jiaotong).delete()
            let page = try await admin.get("/campaigns/1/composition")
            #expect(CompositionTests.row(page, section: "facet-gender", "女") == ["1", "33.3%", "0", "0.0%"], "only 快递's A")
            #expect(CompositionTests.row(page, section: "facet-gender", "男") == ["2", "66.7%", "2", "100.0%"])
            #expect(!page.text.contains("市交通运输行业党委"))
            // A recused reviewer: 快递 left out as well, nothing of 交通 either.
            let reviewer = try await app.makeUser("rev", role: .reviewer)
            try await ReviewerRecusal(userID: try reviewer.requireID(), committeeID: kuaidi).create(on: app.db)
            let browser = Browser(app)
            try await browser.signIn("rev")
            let recused = try await browser.get("/campaigns/1/composition")
            #expect(recused.status == .ok && CompositionTests.row(recused, section: "facet-gender", "女") == ["0", "—", "0", "—"])
            #expect(try await admin.get("/campaigns/1/composition?committee=\(kuaidi)").status == .ok)
            #expect(CompositionTests.row(try await admin.get("/campaigns/1/composition?committee=\(kuaidi)"), section: "facet-gender", "女")
                    == ["1", "33.3%", "0", "0.0%"])
        }
    }

    /// A small seeded generator, so a failure can be run again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11 ^ state << 13
        }
    }

    @Test("for any committees shown, the tables count what the shown committees' own lines sum to, after random nominations, moves between the lists and statements changing many rows")
    func anyShown() async throws {
        try await withHonorsApp(checkInvariants: false) { app, clock in
            let all = try await CommitteeDirectory.load(on: app.db).ordered.map(\.id)
            let seed = UInt64.random(in: 1...UInt64.max)
            var random = Seeded(state: seed)
            let used = Array(all.prefix(5))
            let batch = (0..<60).map { index in
                let n = Nomination()
                n.version = 1
                n.$campaign.id = 1
                n.$committee.id = used.randomElement(using: &random)!
                n.category = ["member", "worker", "org"].randomElement(using: &random)!
                n.state = NominationState.allCases.randomElement(using: &random)!.rawValue
                n.submittedAt = clock.now()
                n.displayName = "随机\(index)"
                n.values = n.category == "org" ? ["member_count": "\(Int.random(in: 3...120, using: &random))"]
                    : CompositionTests.person(["男", "女"].randomElement(using: &random)!, born: "19\(Int.random(in: 60...99, using: &random))-01",
                                              joined: "20\(Int.random(in: 0...20, using: &random))-07", education: ["14", "21", "31"].randomElement(using: &random)!,
                                              frontline: Bool.random(using: &random))
                n.attestationRecords = [:]
                return n
            }
            try await batch.create(on: app.db)
            let ids = try await Nomination.query(on: app.db).filter(\.$displayName ~~ batch.map(\.displayName)).all(\.$id)
            func agree(_ step: String) async throws {
                #expect(try await Self.overall(app) == Self.summed(app), "\(step), seed \(seed)")
                for _ in 0..<6 {
                    let shown = all.filter { _ in Bool.random(using: &random) }
                    let categories = NominationCategory.allCases.filter { _ in Int.random(in: 0...3, using: &random) > 0 }
                    let read = try await CompositionReport.overall(campaignID: 1, shown: shown, leftOut: all.filter { !shown.contains($0) },
                                                                  categories: categories, on: app.db)
                    let summed = try await CompositionReport.counts(campaignID: 1, committees: shown, categories: categories, byCommittee: false, on: app.db)
                    #expect(Set(read.map { "\($0)" }) == Set(summed.map { "\($0)" }), "\(step): \(shown.count) shown, seed \(seed)")
                }
            }
            try await agree("made")
            // Many rows in one statement each: into and out of both lists, and to other committees.
            for state in [NominationState.approved, .withdrawn, .submitted, .commended, .draft] {
                let some = ids.filter { _ in Int.random(in: 0...3, using: &random) == 0 }
                try await Nomination.query(on: app.db).filter(\.$id ~~ some).set(\.$state, to: state.rawValue).update()
                try await agree("\(some.count) to \(state)")
            }
            let moved = ids.filter { _ in Bool.random(using: &random) }
            try await Nomination.query(on: app.db).filter(\.$id ~~ moved).set(\.$committee.$id, to: used[0]).update()
            try await agree("\(moved.count) moved")
            try await Nomination.query(on: app.db).filter(\.$id ~~ ids.filter { _ in Bool.random(using: &random) }).delete()
            try await agree("deleted")
        }
    }
}
