@testable import App
import Crypto
import Fluent
import Foundation
import HonorsAPI
import HonorsCore
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

/// The JSON API as a committee's or the alliance's platform uses it: tokens, what each may see and do, the
/// same rules, workflow and audit trail as the pages.
@Suite("JSON API")
struct APITests {
    /// A platform holding one token.
    struct Platform {
        let app: Application
        let token: String

        func send(_ method: HTTPMethod, _ path: String, json: Any? = nil) async throws -> (status: HTTPStatus, body: [String: Any], text: String) {
            var headers = HTTPHeaders([("Authorization", "Bearer \(token)")])
            var buffer: ByteBuffer?
            if let json {
                headers.contentType = .json
                buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            }
            let response = try await app.testing().sendRequest(method, "/api/v1" + path, headers: headers, body: buffer)
            let text = response.body.string
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (response.status, object, text)
        }

        func list(_ path: String) async throws -> [[String: Any]] {
            let response = try await app.testing().sendRequest(.GET, "/api/v1" + path,
                                                                headers: HTTPHeaders([("Authorization", "Bearer \(token)")]))
            #expect(response.status == .ok, "\(path): \(response.status) \(response.body.string)")
            return (try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8))) as? [[String: Any]] ?? []
        }
    }

    static func platform(_ app: Application, committee: String? = nil, write: Bool = false, days: Int = 30) async throws -> Platform {
        let id = try await committee.asyncMap { try await app.committeeID($0) }
        let made = try await APITokens(app: app, actor: .commandLine(), now: app.clock.now())
            .create(.init(name: committee ?? "联盟平台", committeeID: id, alliance: committee == nil, write: write, days: days))
        return Platform(app: app, token: made.token)
    }

    static func values(name: String, id: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Samples.memberForm(name: name, id: id).filter {
            !["category", "no_violation_3y", "dues_paid_3y", "org_life_3y", "vanguard_3y"].contains($0.0)
        })
    }

    static let attestations = ["no_violation_3y", "dues_paid_3y", "org_life_3y", "vanguard_3y"]

    @Test("the generated server code is the one of openapi.yaml as it stands")
    func contract() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml").standardized
        let digest = SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
        #expect(digest == Contract.sha256, "openapi.yaml changed: run scripts/openapi-generate.sh and commit Sources/HonorsAPI")
    }

    @Test("no token, an unknown, revoked or expired one: 401 in Chinese; each use is on the audit trail")
    func tokens() async throws {
        try await withHonorsApp { app, clock in
            let platform = try await Self.platform(app, committee: "市快递行业党委", days: 1)
            let me = try await platform.send(.GET, "/me")
            #expect(me.status == .ok && me.body["scope"] as? String == "committee" && me.body["committee"] as? String == "市快递行业党委")
            #expect(me.body["write"] as? Bool == false)
            for token in ["", "hon_unknown", platform.token + "x"] {
                let refused = try await Platform(app: app, token: token).send(.GET, "/me")
                #expect(refused.status == .unauthorized && (refused.body["title"] as? String) == "需要有效的令牌")
            }
            let uses = try await AuditEvent.query(on: app.db).filter(\.$action == "api.request").all()
            #expect(uses.count == 1 && uses[0].actorName.hasPrefix("api:市快递行业党委#"))
            #expect(uses.first?.fieldChanges.map(\.new) == ["GET /api/v1/me", "200"])
            clock.advance(by: 86_401)
            #expect(try await platform.send(.GET, "/me").status == .unauthorized, "expired after its day")

            let second = try await Self.platform(app, committee: "市快递行业党委")
            let id = try #require(try await APIToken.query(on: app.db).sort(\.$id, .descending).first()?.id)
            _ = try await APITokens(app: app, actor: .commandLine(), now: clock.now()).revoke(id)
            #expect(try await second.send(.GET, "/me").status == .unauthorized, "revoked: refused at once")
            let tried = try await AuditEvent.query(on: app.db).filter(\.$action == "api.request").filter(\.$objectID == "\(id)").all()
            #expect(tried.count == 1 && tried[0].fieldChanges.last?.new == "401", "a revoked token's use leaves a trace")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "api_token.revoke").count() == 1)
            #expect(try await APIToken.query(on: app.db).all().allSatisfy { !$0.tokenHash.contains("hon_") }, "only hashes kept")
        }
    }

    @Test("a committee's token works on its own records only, with the forms' rules and their Chinese messages")
    func committeeToken() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.platform(app, committee: "市快递行业党委", write: true)
            let wuyeID = try await app.committeeID("市物业行业党委")
            let theirs = try await app.makeNomination(committee: wuyeID, name: "别家的", state: .submitted)

            // A draft with a wrong ID number is kept, its problem named by field.
            var values = Self.values(name: "张伟", id: Samples.wrongCheckDigit(Samples.idNumber()))
            let created = try await kuaidi.send(.POST, "/nominations", json: ["category": "member", "values": values,
                                                                             "attestations": Self.attestations])
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.body["id"] as? Int)
            let problems = created.body["problems"] as? [[String: String]] ?? []
            #expect(problems.contains { $0["field"] == "id_number" && ($0["message"] ?? "").contains("身份证号") }, "\(problems)")
            #expect(created.body["complete"] as? Bool == false && created.body["state"] as? String == "draft")

            // Corrected with the version it was read at; the same version again is a conflict.
            values["id_number"] = Samples.idNumber()
            let saved = try await kuaidi.send(.PUT, "/nominations/\(id)", json: ["version": 1, "values": values, "attestations": Self.attestations])
            #expect(saved.status == .ok && saved.body["version"] as? Int == 2, "\(saved.text)")
            #expect(saved.body["committee"] as? String == "市快递行业党委", "a request without a session reads its committee's row")
            let shown = (saved.body["values"] as? [String: String])?["id_number"] ?? ""
            #expect(shown.hasPrefix("15") && shown.contains("*") && shown != Samples.idNumber(), "masked: \(shown)")
            #expect(try await kuaidi.send(.PUT, "/nominations/\(id)", json: ["version": 1, "values": values]).status == .conflict)
            // Sent back as read (masked), the ID number stays the real one; another masked value is refused.
            var readBack = saved.body["values"] as? [String: String] ?? [:]
            readBack["native_place"] = "内蒙古包头"
            let again = try await kuaidi.send(.PUT, "/nominations/\(id)", json: ["version": 2, "values": readBack, "attestations": Self.attestations])
            #expect(again.status == .ok && (again.body["problems"] as? [[String: String]] ?? []).allSatisfy { $0["field"] != "id_number" },
                    "\(again.text)")
            let sealed = try #require(try await Nomination.find(id, on: app.db))
            #expect(try NominationService.personalData(of: sealed, secrets: app.secrets)["id_number"] == Samples.idNumber())
            var forged = readBack
            forged["id_number"] = "15060219850315****"
            let refused = try await kuaidi.send(.PUT, "/nominations/\(id)", json: ["version": 3, "values": forged])
            #expect(refused.status == .unprocessableEntity && (refused.body["errors"] as? [[String: String]])?.first?["field"] == "id_number")

            // Its list holds its own, drafts included; another committee's record is not found, nor changed.
            let page = try await kuaidi.send(.GET, "/nominations")
            let items = page.body["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? Int } == [id] && page.body["total"] as? Int == 1)
            #expect(try await kuaidi.send(.GET, "/nominations/\(theirs)").status == .notFound)
            #expect(try await kuaidi.send(.PUT, "/nominations/\(theirs)", json: ["version": 1, "values": values]).status == .notFound)
            #expect(try await kuaidi.send(.GET, "/nominations?committee=\(wuyeID)").body["total"] as? Int == 1, "its own, whatever it asks")

            // 上报 without the stamped scan the campaign asks for: refused with the reason.
            let submit = try await kuaidi.send(.POST, "/nominations/\(id)/actions/submit", json: ["version": 2])
            #expect([.unprocessableEntity, .conflict].contains(submit.status) && !(submit.body["message"] as? String ?? "").isEmpty,
                    "\(submit.text)")
            // The alliance's steps are not a committee's.
            #expect(try await kuaidi.send(.POST, "/nominations/\(id)/actions/approve", json: ["version": 2]).status == .forbidden)
            // The quota table: its own lines only.
            let quotas = try await kuaidi.list("/campaigns/1/quotas")
            #expect(!quotas.isEmpty && quotas.allSatisfy { $0["committee"] as? String == "市快递行业党委" })

            // Nothing of it bypassed the audit trail: the creation and the save are there under the token.
            let events = try await AuditEvent.query(on: app.db).filter(\.$objectID == "\(id)").filter(\.$objectType == "nomination").all()
            #expect(events.map(\.action).contains("nomination.create") && events.allSatisfy { $0.actorName.hasPrefix("api:市快递行业党委#") })
        }
    }

    @Test("a read-only token cannot write; bad bodies are 400; a token's rate is limited")
    func limits() async throws {
        try await withHonorsApp { app, _ in
            let reader = try await Self.platform(app, committee: "市快递行业党委")
            let refused = try await reader.send(.POST, "/nominations", json: ["category": "member", "values": [String: String]()])
            #expect(refused.status == .forbidden && (refused.body["title"] as? String) == "令牌只读")
            let writer = try await Self.platform(app, committee: "市快递行业党委", write: true)
            #expect(try await writer.send(.POST, "/nominations", json: ["category": "nobody", "values": [String: String]()]).status == .badRequest)
            #expect(try await writer.send(.POST, "/nominations", json: ["values": ["name": 3]]).status == .badRequest)
            #expect(try await writer.send(.GET, "/nominations?page=0").status == .badRequest)
            #expect(try await writer.send(.GET, "/nominations/abc").status == .badRequest)

            let huge = try await writer.send(.POST, "/nominations", json: ["category": "member", "values": ["deeds": String(repeating: "事", count: 400_000)]])
            #expect(huge.status == .payloadTooLarge && (huge.body["title"] as? String) == "提交内容过大")
            let unknown = try await app.testing().sendRequest(.DELETE, "/api/v1/nominations/1", headers: HTTPHeaders([("Authorization", "Bearer \(writer.token)")]))
            #expect(unknown.status == .notFound && unknown.body.string.hasPrefix("{"), "JSON, not an HTML page")

            app.apiRateLimiter = APIRateLimiter(perMinute: 60, burst: 3)
            for _ in 0..<3 { #expect(try await writer.send(.GET, "/me").status == .ok) }
            let response = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: HTTPHeaders([("Authorization", "Bearer \(writer.token)")]))
            let recorded = try await AuditEvent.query(on: app.db).filter(\.$action == "api.request").count()
            #expect(response.status == .tooManyRequests && response.headers.first(name: "Retry-After") == "1")
            _ = try await writer.send(.GET, "/me")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "api.request").count() == recorded,
                    "requests over the rate are not written")
            #expect(try await reader.send(.GET, "/me").status == .ok, "each token has its own rate")
        }
    }

    @Test("the alliance's token reads what reached it, masked, and with write takes the alliance's steps")
    func allianceToken() async throws {
        try await withHonorsApp { app, _ in
            let kuaidiID = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(5, committee: kuaidiID)
            let draft = try await app.makeNomination(committee: kuaidiID, name: "草稿", state: .draft)
            let waiting = try await app.makeNomination(committee: kuaidiID, name: "待审", state: .submitted)
            try await app.seal(waiting, idNumber: Samples.idNumber(sequence: 731))
            try await Nomination.query(on: app.db).filter(\.$id == waiting).set(\.$integrityResult, to: IntegrityResult.clear.rawValue).update()

            let reader = try await Self.platform(app)
            let listed = try await reader.send(.GET, "/nominations?campaign=1")
            #expect((listed.body["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int } == [waiting], "not the draft")
            #expect(try await reader.send(.GET, "/nominations/\(draft)").status == .notFound)
            let read = try await reader.send(.GET, "/nominations/\(waiting)")
            let shownNumber = (read.body["values"] as? [String: String])?["id_number"] ?? ""
            #expect(shownNumber.contains("*") && !shownNumber.isEmpty, "masked")
            #expect(try await reader.send(.POST, "/nominations/\(waiting)/actions/approve", json: ["version": 1]).status == .forbidden)

            let writer = try await Self.platform(app, write: true)
            let missing = try await writer.send(.POST, "/nominations/\(waiting)/actions/approve", json: ["version": 1])
            #expect(missing.status == .unprocessableEntity && !((missing.body["errors"] as? [[String: String]]) ?? []).isEmpty,
                    "the opinion is required: \(missing.text)")
            let approved = try await writer.send(.POST, "/nominations/\(waiting)/actions/approve",
                                                 json: ["version": 1, "opinion": "同意表彰。", "opinionDate": "2024-05-20"])
            #expect(approved.status == .ok && approved.body["state"] as? String == "approved", "\(approved.text)")
            #expect(try await writer.send(.POST, "/nominations", json: ["category": "member", "values": [String: String]()]).status == .forbidden,
                    "only a committee enters nominations")
            let closed = try await writer.send(.GET, "/campaigns/1/commended")
            #expect(closed.status == .conflict && (closed.body["title"] as? String) == "推荐活动尚未结束")
            #expect(try await writer.list("/campaigns").first?["documentNumber"] as? String == "鄂党联发〔2024〕4号")
        }
    }

    @Test("the administrator makes a token on the page, sees it once, and revokes it there; mistakes are shown by their field")
    func page() async throws {
        try await withHonorsApp { app, _ in
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let kuaidi = try await app.committeeID("市快递行业党委")
            let wrong = try await admin.post("/admin/tokens", [("name", ""), ("scope", ""), ("days", "４００")])
            #expect(wrong.status == .unprocessableEntity && wrong.fieldErrors.count == 3, "\(wrong.fieldErrors)")
            #expect(try await APIToken.query(on: app.db).count() == 0)
            let made = try await admin.post("/admin/tokens", [("name", "快递党建云"), ("scope", "\(kuaidi)"), ("write", "1"), ("days", "３０")])
            #expect(made.status == .ok)
            let token = try #require(made.matches(of: #"id="token-value">(hon_[A-Za-z0-9_-]+)<"#).first)
            #expect(made.headers.first(name: .cacheControl) == "no-store")
            #expect(try await Platform(app: app, token: token).send(.GET, "/me").body["write"] as? Bool == true)
            let list = try await admin.get("/admin/tokens")
            #expect(list.text.contains("快递党建云") && !list.text.contains(token), "never shown again")
            let id = try #require(try await APIToken.query(on: app.db).first()?.id)
            #expect(try await admin.post("/admin/tokens/\(id)/revoke").status == .seeOther)
            #expect(try await Platform(app: app, token: token).send(.GET, "/me").status == .unauthorized)
            let events = try await AuditEvent.query(on: app.db).filter(\.$objectType == "api_token").all().map(\.action)
            #expect(events.contains("api_token.create") && events.contains("api_token.revoke"))
        }
    }
}
