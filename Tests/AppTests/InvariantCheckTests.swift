import Crypto
@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// `honors check` finds each invariant broken on purpose, naming the record; a whole database passes.
@Suite("Invariant check")
struct InvariantCheckTests {
    static func rules(_ app: Application) async throws -> [String] {
        try await InvariantCheck.run(app, on: app.db, at: app.clock.now()).map(\.rule)
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

    @Test("a campaign taken through the whole review passes")
    func whole() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            _ = try await Flow.integrity(desk.reviewer, desk.id)
            _ = try await Flow.approve(desk.admin, desk.id, app: app)
            #expect(try await Self.rules(app) == [])
        }
    }

    @Test("more slots used than the limit")
    func slots() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let committee = try await app.committeeID("市快递行业党委")
            for n in 0..<2 { _ = try await app.makeNomination(committee: committee, name: "人\(n)", state: .submitted) }
            let findings = try await InvariantCheck.slots(on: app.db, at: app.clock.now())
            #expect(findings.map(\.detail) == ["鄂党联发〔2024〕4号 市快递行业党委 优秀共产党员：占用 2 个名额，可报只有 1 个。"])
        }
    }

    @Test("the same person in both personal categories of a campaign that keeps them apart")
    func person() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let a = try await app.makeNomination(committee: 3, name: "甲")
            let b = try await app.makeNomination(committee: 4, category: "worker", name: "甲")
            for id in [a, b] {
                try await app.seal(id, idNumber: Samples.idNumber(sequence: 11))
                try await Nomination.query(on: app.db).filter(\.$id == id).set(\.$personScope, to: id == a ? "member" : "worker").update()
            }
            #expect(try await Self.rules(app) == ["person"])
        }
    }

    @Test("a state the workflow does not leave behind: approved without an opinion, an unknown state")
    func states() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let approved = try await app.makeNomination(committee: 3, state: .approved)
            try await Nomination.query(on: app.db).filter(\.$id == approved).set(\.$allianceOpinion, to: nil).update()
            let commended = try await app.makeNomination(committee: 3, state: .commended)
            try await Nomination.query(on: app.db).filter(\.$id == commended).set(\.$decidedBy, to: nil).update()
            let odd = try await app.makeNomination(committee: 4)
            try await Nomination.query(on: app.db).filter(\.$id == odd).set(\.$state, to: "published").update()
            let findings = try await InvariantCheck.states(on: app.db)
            #expect(findings.map(\.detail) == ["推荐编号 \(approved)：为“审核通过”却没有联盟意见。",
                                               "推荐编号 \(commended)：为“已表彰”却没有记录是谁作出的决定。",
                                               "推荐编号 \(odd)：状态“published”不是工作流中的状态。"])
        }
    }

    @Test("a scan that is not the nomination's, and stored files missing or changed")
    func scansAndFiles() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png", data: Samples.png(), contentType: "image/png")
            try await Flow.uploadScan(kuaidi, id, app: app)
            #expect(try await Self.rules(app) == [])
            let row = try #require(try await Nomination.find(id, on: app.db))
            let photo = try #require(UploadStore(app: app, kind: .photo).path(row.photoFile!))
            try Data("changed".utf8).write(to: URL(fileURLWithPath: photo))
            let scan = try #require(try await NominationScan.find(row.scanID, on: app.db))
            try FileManager.default.removeItem(atPath: try #require(UploadStore(app: app, kind: .scan).path(scan.fileList[0].stored)))
            try await Nomination.query(on: app.db).filter(\.$id == id).set(\.$scanFingerprint, to: "0000000000000000").update()
            let findings = try await InvariantCheck.run(app, on: app.db, at: app.clock.now())
            #expect(findings.map(\.rule).sorted() == ["file", "file", "scan"])
            #expect(findings.contains { $0.detail.contains("的照片") && $0.detail.contains("已被改动") })
            #expect(findings.contains { $0.detail.contains("不在存储目录中") })
        }
    }

    @Test("sealed values that the ring cannot open, that name another key than their row, or whose duplicate hash is not the ID number's")
    func sealed() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            var ids: [Int] = []
            for n in 0..<4 {
                let id = try await app.makeNomination(committee: 3 + n, name: "人\(n)")
                try await app.seal(id, idNumber: Samples.idNumber(sequence: 31 + 2 * n))
                ids.append(id)
            }
            #expect(try await Self.rules(app) == [])
            let stranger = SecretBox(masterKey: SymmetricKey(size: .bits256))
            // Sealed by a key the ring does not hold.
            try await Nomination.query(on: app.db).filter(\.$id == ids[0]).set(\.$idNumberSealed, to: try stranger.seal("x"))
                .set(\.$phoneSealed, to: try stranger.seal("y")).set(\.$secretKeyID, to: stranger.keyID).update()
            // The row names the ring's key, the value another.
            try await Nomination.query(on: app.db).filter(\.$id == ids[1]).set(\.$phoneSealed, to: try stranger.seal("y")).update()
            // The hash of someone else: the duplicate check would miss this person.
            try await Nomination.query(on: app.db).filter(\.$id == ids[2])
                .set(\.$idHash, to: app.secrets.keyedHash(Samples.idNumber(sequence: 99))).update()
            // A value altered in place no longer opens.
            let row = try #require(try await Nomination.find(ids[3], on: app.db))
            let altered = String(row.idNumberSealed!.dropLast(4)) + "AAAA"
            try await Nomination.query(on: app.db).filter(\.$id == ids[3]).set(\.$idNumberSealed, to: altered).update()

            let findings = try await InvariantCheck.sealed(app.secrets, on: app.db)
            #expect(findings.map(\.detail) == [
                "推荐编号 \(ids[0])：身份证号和电话由密钥 \(stranger.keyID) 加密，它不在密钥环（\(app.secrets.keyID)）中。",
                "推荐编号 \(ids[1])：加密数据上的密钥与记录的密钥 \(app.secrets.keyID) 不一致。",
                "推荐编号 \(ids[2])：查重哈希与身份证号不符：查重会漏掉此人。",
                "推荐编号 \(ids[3])：加密的身份证号或电话无法打开（数据已被改动）。",
            ])
        }
    }

    @Test("a nomination written around the application has no creation on record")
    func creation() async throws {
        try await withHonorsApp(checkInvariants: false) { app, _ in
            try await Self.sql(app).raw("""
                INSERT INTO nominations (version, campaign_id, committee_id, category, state, display_name, data, attestations, person_scope)
                VALUES (1, 1, 3, 'member', 'draft', '幽灵', '{}', '{}', '')
                """).run()
            let findings = try await InvariantCheck.creations(on: app.db)
            #expect(findings.count == 1 && findings[0].detail.contains("没有创建记录"))
        }
    }

    @Test("the quota form never lowers a limit below the slots in use")
    func quotaBelowUse() async throws {
        try await withHonorsApp { app, _ in
            let desk = try await ReviewWorkflowTests.desk(app)
            let form = try await desk.admin.get("/campaigns/1/quotas/edit")
            let names = form.matches(of: #"name="(q_[^"]+)""#)
            let values = form.matches(of: #"name="q_[^"]+" value="(\d+)""#)
            let committee = try await app.committeeID("市快递行业党委")
            let member = CampaignController.Admin.fieldName(committeeID: committee, category: "member")
            var fields = zip(names, values).map { ($0, $0 == member ? "0" : $1) }
            fields.append(("version", try #require(form.matches(of: #"name="version" value="(\d+)""#).first)))
            let refused = try await desk.admin.post("/campaigns/1/quotas", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fieldErrors.contains("已占用 1 个名额，指导名额不能低于 1"))
            #expect(try await CampaignQuota.query(on: app.db).filter(\.$committee.$id == committee).filter(\.$category == "member").first()?.guiding == 1)
        }
    }
}
