@testable import App
import ConsoleKit
import Fluent
import Foundation
import HonorsCore
import Testing

/// `honors demo` past its played nominations: replicas must be data the rest of Honors cannot tell from
/// entries made through the pages (withHonorsApp's `honors check` after each test holds tallies, scans,
/// states, creation records, sealed values, quotas and the audit chain to that).
@Suite("Demo replicas")
struct DemoReplicaTests {
    static let played = 40, count = 130

    @Test("replicas reach their template's state with its history, under their own number, committee and person")
    func replicasCopyTheirTemplatesWay() async throws {
        try await withHonorsApp { app, _ in
            let demo = DemoCommand(), console = Terminal()
            let committees = try await Committee.query(on: app.db).filter(\.$active == true).sort(\.$sortOrder).all()
            let campaign = try await demo.demoCampaign(app, committees: committees, nominations: Self.count)
            let cast = try await demo.cast(app, committees: committees, console: console)
            var data = DemoData()
            try await demo.addNominations(app, campaign: campaign, cast: cast, data: &data, count: Self.count,
                                          target: DemoNomination.Target.of, played: Self.played, console: console)

            let rows = try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaign.requireID()).sort(\.$id).all()
            #expect(rows.count == Self.count)
            func kind(_ index: Int) -> DemoCommand.Kind {
                .init(target: DemoNomination.Target.of(index), category: NominationCategory.allCases[(index / committees.count) % 3])
            }
            func history(_ id: Int) async throws -> [AuditEvent] {
                try await AuditEvent.query(on: app.db).filter(\.$objectType == "nomination").filter(\.$objectID == "\(id)").sort(\.$seq).all()
            }
            var replicas = 0
            for (index, row) in rows.enumerated() {
                let id = try row.requireID()
                #expect(row.$committee.id == committees[index % committees.count].id, "nomination \(id)")
                #expect(row.category == kind(index).category.rawValue)
                // Past the played ones, a nomination is a replica of the first of its kind (played itself).
                guard index >= Self.played, let first = (0..<index).first(where: { kind($0) == kind(index) }) else { continue }
                replicas += 1
                let template = rows[first]
                #expect(row.state == template.state && row.version == template.version, "nomination \(id)")
                #expect(row.integrityResult == template.integrityResult && row.decidedBy == template.decidedBy)
                // The same steps by the same roles, in the replica's name and committee.
                let own = try await history(id), model = try await history(template.requireID())
                #expect(own.map(\.action) == model.map(\.action), "nomination \(id)")
                #expect(own.map(\.actorRole) == model.map(\.actorRole))
                #expect(own.allSatisfy { $0.objectLabel == row.displayName && $0.committeeID == row.$committee.id })
                let operatorName = cast.operators[row.$committee.id]!.username
                #expect(own.filter { $0.actorRole == Role.committee.rawValue }.allSatisfy { $0.actorName == operatorName })
                // A scan of the replica's own data (stale where the template's was), pinned to the replica.
                if let scanID = row.scanID {
                    let scan = try #require(try await NominationScan.find(scanID, on: app.db))
                    #expect(scan.$nomination.id == id)
                    #expect((row.scanFingerprint == row.dataFingerprint) == (template.scanFingerprint == template.dataFingerprint))
                    if row.scanFingerprint == row.dataFingerprint {
                        #expect(own.contains { $0.fieldChanges.contains { $0.new == row.dataFingerprint } })
                    }
                } else {
                    #expect(template.scanID == nil)
                }
                let replies = try await IntegrityReply.query(on: app.db).filter(\.$nomination.$id == id).count()
                let modelReplies = try await IntegrityReply.query(on: app.db).filter(\.$nomination.$id == template.requireID()).count()
                #expect(replies == modelReplies)
            }
            // Past the played ones, at most the first of each kind (7 targets × 3 categories) is played too.
            #expect(replicas >= Self.count - Self.played - 7 * 3)
            // Each a person of its own, sealed with the ring's key.
            let people = try rows.compactMap { try $0.idNumberSealed.map(app.secrets.open) }
            #expect(Set(people).count == people.count && people.count == rows.filter { $0.categoryValue.isPerson }.count)
            for person in people { _ = try IDNumber(person, today: Date()) }
        }
    }

    @Test("a replica of a person the campaign already holds is left out, as the duplicate rule would")
    func aHeldPersonIsNotWrittenTwice() async throws {
        try await withHonorsApp { app, _ in
            let demo = DemoCommand(), console = Terminal()
            let committees = try await Committee.query(on: app.db).filter(\.$active == true).sort(\.$sortOrder).all()
            let campaign = try await demo.demoCampaign(app, committees: committees, nominations: 1)
            let cast = try await demo.cast(app, committees: committees, console: console)
            var data = DemoData()
            try await demo.addNominations(app, campaign: campaign, cast: cast, data: &data, count: 1,
                                          target: { _ in .draft }, played: 1, console: console)
            let first = try #require(try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaign.requireID()).first())
            let template = try await DemoReplica.Template.load(first.requireID(), on: app.db)
            let user = cast.operators[committees[1].id!]!
            let service = NominationService(app: app, db: app.db, user: user, actor: DemoCommand.actor(user), now: app.clock.now())
            let input = NominationInput(category: .member, values: data.values(for: .member, signedOn: DayStamp(app.clock.now())),
                                        attestations: Set(NominationForm.attestations.map(\.key)), hasPhoto: true)
            let result = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: app.clock.now())
            let row = DemoReplica.Row(prepared: try service.columns(result, input: input, campaign: campaign, existing: nil),
                                      operatorUser: user, template: template)
            let now = app.clock.now()
            #expect(try await app.write { db in try await DemoReplica.write([row], campaign: campaign, now: now, on: db) } == 1)
            #expect(try await app.write { db in try await DemoReplica.write([row], campaign: campaign, now: now, on: db) } == 0)
            #expect(try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaign.requireID()).count() == 2)

            // Prepared ahead as the demo's batches are (on PostgreSQL numbered and written out as text), a batch
            // holding that person and a new one writes the new one only, through the models.
            let other = NominationInput(category: .member, values: data.values(for: .member, signedOn: DayStamp(now)),
                                        attestations: input.attestations, hasPhoto: true)
            let checked = NominationRules.check(other, settings: campaign.settings, deadline: campaign.deadline.end, today: now)
            let newcomer = DemoReplica.Row(prepared: try service.columns(checked, input: other, campaign: campaign, existing: nil),
                                           operatorUser: user, template: template)
            let ready = try await DemoReplica.prepare(try DemoReplica.build([row, newcomer], campaign: campaign, now: now), on: app.db)
            let campaignID = try campaign.requireID()
            #expect(try await app.write { db in try await DemoReplica.write(ready, campaignID: campaignID, on: db) } == 1)
            #expect(try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaignID).count() == 3)
        }
    }
}
