@testable import App
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("Nominations")
struct NominationTests {
    static func operatorOf(_ committee: String, _ username: String, app: Application) async throws -> Browser {
        try await app.makeUser(username, role: .committee, committee: committee)
        let browser = Browser(app)
        try await browser.signIn(username)
        return browser
    }

    /// Creates a draft from `form`; returns its id.
    static func create(_ browser: Browser, _ form: [(String, String)]) async throws -> Int {
        let response = try await browser.post("/nominations", form)
        let location = try #require(response.location, "\(response.status) \(response.fieldErrors)")
        return try #require(Int(location.split(separator: "/")[1]))
    }

    static func submitForm(version: Int) -> [(String, String)] {
        [("version", "\(version)")]
    }

    static func version(_ id: Int, _ app: Application) async throws -> Int {
        try #require(try await Nomination.find(id, on: app.db)).version
    }

    @Test("a wrong check digit and 转正时间 before 入党时间 are reported beside the fields; the draft keeps the rest")
    func draftWithErrors() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm(
                id: Samples.wrongCheckDigit(Samples.idNumber()), overrides: ["full_member_date": "2007-01"]))
            let edit = try await kuaidi.get("/nominations/\(id)/edit")
            #expect(edit.status == .ok)
            let errors = edit.fieldErrors
            #expect(errors.contains { $0.contains("校验") }, "\(errors)")
            #expect(errors.contains { $0.contains("转正时间") }, "\(errors)")
            #expect(edit.text.contains("value=\"市快递行业第一党支部\""))
            #expect(edit.text.contains("该同志扎根快递一线"))
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("材料尚不完整"))
            #expect(page.text.contains("二寸免冠照片"), "the missing photo is listed")
        }
    }

    @Test("a complete nomination with photo is submitted and uses the slot; the next one is refused for quota")
    func submitWithinQuota() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            let photo = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "照片.png",
                                                data: Samples.png(), contentType: "image/png")
            #expect(photo.status == .seeOther)
            let served = try await kuaidi.get("/nominations/\(id)/photo")
            #expect(served.status == .ok)
            #expect(served.headers.contentType == .png)
            #expect(Data(buffer: served.body) == Samples.png())
            let stored = try #require(try await Nomination.find(id, on: app.db)?.photoFile)
            let mode = try FileManager.default.attributesOfItem(atPath: try #require(UploadStore(app: app, kind: .photo).path(stored)))[.posixPermissions]
            #expect((mode as? NSNumber).map { $0.intValue & 0o777 } == 0o600, "a named person's photo is the service's alone to read")
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("材料完整"), "\(page.matches(of: #"<li>([^<]*)</li>"#))")
            try await Flow.uploadScan(kuaidi, id, app: app)
            let submitted = try await kuaidi.post("/nominations/\(id)/submit", Self.submitForm(version: try await Self.version(id, app)))
            #expect(submitted.location == "/nominations/\(id)?notice=submitted")
            #expect(try await Nomination.find(id, on: app.db)?.state == "submitted")
            let dashboard = try await kuaidi.get("/")
            #expect(dashboard.text.contains("data-category=\"member\" data-guiding=\"1\" data-granted=\"0\" data-used=\"1\" data-left=\"0\""))

            let second = try await Self.create(kuaidi, Samples.memberForm(name: "李强", id: Samples.idNumber(sequence: 125)))
            _ = try await kuaidi.upload("/nominations/\(second)/photo", field: "photo", filename: "p.png",
                                        data: Samples.png(), contentType: "image/png")
            try await Flow.uploadScan(kuaidi, second, app: app)
            let refused = try await kuaidi.post("/nominations/\(second)/submit", Self.submitForm(version: try await Self.version(second, app)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("名额已用完"))
            #expect(refused.text.contains("超额申请"))
            #expect(try await Nomination.find(second, on: app.db)?.state == "draft")

            // Withdrawing frees the slot.
            let withdrawn = try await kuaidi.post("/nominations/\(id)/withdraw", [("version", "\(try await Self.version(id, app))")])
            #expect(withdrawn.status == .seeOther)
            let now = try await kuaidi.post("/nominations/\(second)/submit", Self.submitForm(version: try await Self.version(second, app)))
            #expect(now.status == .seeOther, "\(now.matches(of: #"id=\"form-error\">([^<]*)<"#)) \(now.fieldErrors)")
        }
    }

    @Test("the same person cannot be nominated again, by another committee or as 优秀党务工作者")
    func duplicatePerson() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let wuye = try await Self.operatorOf("市物业行业党委", "wuye", app: app)
            let person = Samples.idNumber()
            _ = try await Self.create(kuaidi, Samples.memberForm(id: person))
            let before = try await Nomination.query(on: app.db).count()
            let again = try await wuye.post("/nominations", Samples.memberForm(id: person, overrides: [
                "category": "worker", "party_post": "党支部书记", "party_work_since": "2015-01",
            ]))
            #expect(again.status == .conflict)
            #expect(again.fieldErrors.contains { $0.contains("其他行业党委推荐为优秀共产党员") })
            #expect(again.text.contains("未保存：此身份证号码的人员"), "the refusal is also stated above the form")
            #expect(!again.text.contains("市快递行业党委"), "the other committee's record is not shown")
            #expect(try await Nomination.query(on: app.db).count() == before)
            // Full-width digits are the same person.
            let fullWidth = person.map { c -> String in
                guard let d = c.wholeNumberValue else { return String(c) }
                return String(UnicodeScalar(0xFF10 + d)!)
            }.joined()
            let sneaky = try await kuaidi.post("/nominations", Samples.memberForm(id: fullWidth))
            #expect(sneaky.status == .conflict)
        }
    }

    @Test("ID number and phone are encrypted at rest and masked on the page")
    func encryptedAtRest() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let person = Samples.idNumber()
            let id = try await Self.create(kuaidi, Samples.memberForm(id: person))
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("SELECT * FROM nominations").all()
            for row in rows {
                for column in row.allColumns {
                    let text = (try? row.decode(column: column, as: String?.self)) ?? nil
                    #expect(!(text ?? "").contains(person), "\(column) holds the ID number")
                    #expect(!(text ?? "").contains("18647176667"), "\(column) holds the phone")
                }
            }
            let audit = try await sql.raw("SELECT changes FROM audit_events").all()
            #expect(!audit.contains { ((try? $0.decode(column: "changes", as: String.self)) ?? "").contains(person) })
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains(IDNumber.mask(person)))
            #expect(!page.text.contains(person))
            #expect(page.text.contains("186*****667"))
            let edit = try await kuaidi.get("/nominations/\(id)/edit")
            #expect(!edit.text.contains(person))
        }
    }

    @Test("another committee's nomination is not found, for reading, editing and submitting")
    func tenantIsolation() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let wuye = try await Self.operatorOf("市物业行业党委", "wuye", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            #expect(try await wuye.get("/nominations/\(id)").status == .notFound)
            #expect(try await wuye.get("/nominations/\(id)/edit").status == .notFound)
            #expect(try await wuye.post("/nominations/\(id)", Samples.memberForm()).status == .notFound)
            #expect(try await wuye.post("/nominations/\(id)/submit", Self.submitForm(version: 1)).status == .notFound)
            let list = try await wuye.get("/nominations")
            #expect(!list.text.contains("张伟"))
        }
    }

    @Test("a save against a newer version is refused, the typed text kept and the difference shown")
    func staleSave() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            let version = try await Self.version(id, app)
            let first = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古达拉特旗", "version": "\(version)", "id_number": ""]))
            #expect(first.status == .seeOther)
            let second = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: [
                "native_place": "内蒙古准格尔旗", "version": "\(version)", "id_number": ""]))
            #expect(second.status == .conflict)
            #expect(second.text.contains("value=\"内蒙古准格尔旗\""), "the typed text stays in the form")
            #expect(second.text.contains("内蒙古达拉特旗"), "the saved value is shown as the difference")
            let stored = try #require(try await Nomination.find(id, on: app.db))
            #expect(stored.values["native_place"] == "内蒙古达拉特旗")
        }
    }

    @Test("rare characters round-trip; control characters are stripped")
    func rareCharacters() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm(name: "阿卜杜热合曼·买买提", overrides: [
                "native_place": "𠮷\u{0B}𬌗\u{7}村", "unit_and_position": "快递\u{0}公司 站长"]))
            let stored = try #require(try await Nomination.find(id, on: app.db))
            #expect(stored.displayName == "阿卜杜热合曼·买买提")
            #expect(stored.values["native_place"] == "𠮷𬌗村")
            #expect(stored.values["unit_and_position"] == "快递公司 站长")
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("阿卜杜热合曼·买买提"))
            #expect(page.text.contains("𠮷𬌗村"))
        }
    }

    @Test("10 MB of text is refused cleanly and nothing is stored")
    func hugeText() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let response = try await kuaidi.post("/nominations", Samples.memberForm(overrides: [
                "deeds": String(repeating: "长", count: 3_500_000)]))
            #expect(response.status == .payloadTooLarge)
            #expect(response.text.contains("提交内容过大"))
            #expect(try await Nomination.query(on: app.db).count() == 0)
        }
    }

    @Test("a photo far from the 35×49 shape is accepted with a warning on the page")
    func photoShape() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            let square = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "square.png",
                                                 data: Samples.png(width: 500, height: 500), contentType: "image/png")
            #expect(square.status == .seeOther)
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.matches(of: #"<ul class="warnings"><li>(二寸免冠照片：[^<]+)</li>"#).count == 1)
        }
    }

    @Test("a .jpg that is really a PDF is refused")
    func fakePhoto() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            let response = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "photo.jpg",
                                                   data: Samples.pdf, contentType: "image/jpeg")
            #expect(response.status == .unprocessableEntity)
            #expect(response.fieldErrors.contains { $0.contains("PDF") || $0.contains("JPEG") })
            #expect(try await Nomination.find(id, on: app.db)?.photoFile == nil)
        }
    }

    @Test("after the deadline committees can no longer create, edit or submit")
    func deadline() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await Self.create(kuaidi, Samples.memberForm())
            clock.set(Date(timeIntervalSince1970: 1_717_084_800))  // 2024-05-31 00:00 Beijing
            try await kuaidi.signIn("kuaidi")  // the old session timed out in the meantime
            // Each says the deadline passed and how to ask for more time; none says "无权".
            let create = try await kuaidi.post("/nominations", Samples.memberForm(name: "王五"))
            let edit = try await kuaidi.get("/nominations/\(id)/edit")
            let save = try await kuaidi.post("/nominations/\(id)", Samples.memberForm(overrides: ["version": "\(try await Self.version(id, app))"]))
            let photo = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png", data: Samples.png(), contentType: "image/png")
            let submit = try await kuaidi.post("/nominations/\(id)/submit", Self.submitForm(version: try await Self.version(id, app)))
            for response in [create, edit, save, photo, submit] {
                #expect(response.status == .conflict)
                #expect(response.text.contains("已过报送截止时间（2024年5月30日）"))
                #expect(response.text.contains("申请延长"))
                #expect(!response.text.contains("无权"))
            }
            #expect(try await Nomination.query(on: app.db).count() == 1)
            #expect(try await Nomination.find(id, on: app.db)?.photoFile == nil, "the photo obeys the deadline")
            let page = try await kuaidi.get("/nominations/\(id)")
            #expect(page.text.contains("id=\"closed-note\""), "the page itself says so, with the alliance's contact")
            #expect(page.text.contains("蔺可可"))
        }
    }

    @Test("an extension for one committee, with its reason on record, lets only that committee go on")
    func deadlineExtension() async throws {
        try await withHonorsApp { app, clock in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            let wuye = try await Self.operatorOf("市物业行业党委", "wuye", app: app)
            try await app.makeUser("boss", role: .admin)
            let admin = Browser(app)
            try await admin.signIn("boss")
            let noReason = try await admin.post("/campaigns/1/extensions", [("committee_id", "3"), ("until_on", "2024-06-05"), ("reason", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.fieldErrors.contains("请填写延期理由，将记入操作日志。"))
            let early = try await admin.post("/campaigns/1/extensions", [("committee_id", "3"), ("until_on", "2024-05-20"), ("reason", "x")])
            #expect(early.status == .unprocessableEntity)
            let granted = try await admin.post("/campaigns/1/extensions", [
                ("committee_id", "3"), ("until_on", "2024-06-05"), ("reason", "疫情封控，材料无法按时盖章"),
            ])
            #expect(granted.status == .seeOther)
            clock.set(Date(timeIntervalSince1970: 1_717_300_000))  // 2024-06-02, after the deadline
            try await kuaidi.signIn("kuaidi")
            try await wuye.signIn("wuye")
            #expect(try await kuaidi.post("/nominations", Samples.memberForm()).status == .seeOther)
            #expect(try await wuye.post("/nominations", Samples.memberForm(name: "王五", id: Samples.idNumber(sequence: 777))).status == .conflict)
            let event = try await AuditEvent.query(on: app.db).filter(\.$action == "deadline.extend").first()
            #expect(event?.changes.contains("疫情封控") == true)
        }
    }

    @Test("the alliance lists all nominations, 50 a page, filtered by committee, category, state and name")
    func listing() async throws {
        try await withHonorsApp { app, _ in
            for committee in [3, 4] { try await app.setGuiding(30, committee: committee) }
            for n in 0..<55 { _ = try await app.makeNomination(committee: n % 2 == 0 ? 3 : 4, name: "候选人\(n)", state: .submitted) }
            _ = try await app.makeNomination(committee: 5, category: "org", name: "交通运输第一党支部", state: .returned)
            // Drafts stay the committee's: the alliance's list does not hold them.
            _ = try await app.makeNomination(committee: 3, name: "草稿中的人")
            try await app.makeUser("rev", role: .reviewer)
            let reviewer = Browser(app)
            try await reviewer.signIn("rev")
            let rows = #"<tr><td><a href="/nominations/\d+">([^<]+)</a>"#
            let first = try await reviewer.get("/nominations")
            #expect(first.matches(of: rows).count == 50)
            #expect(first.text.contains("共 56 条"))
            #expect(try await reviewer.get("/nominations?page=2").matches(of: rows).count == 6)
            let kuaidi = try await reviewer.get("/nominations?committee=3")
            #expect(kuaidi.matches(of: rows).count == 28)
            #expect(try await reviewer.get("/nominations?category=org").matches(of: rows) == ["交通运输第一党支部"])
            #expect(try await reviewer.get("/nominations?state=returned").matches(of: rows) == ["交通运输第一党支部"])
            #expect(try await reviewer.get("/nominations?state=draft").matches(of: rows).count == 50, "a draft filter is ignored, not obeyed")
            #expect(!first.text.contains("草稿中的人"))
            let named = try await reviewer.get("/nominations?q=" + Browser.encode("候选人5"))
            #expect(Set(named.matches(of: rows)) == ["候选人5", "候选人50", "候选人51", "候选人52", "候选人53", "候选人54"])
            // The reviewer reads but never enters nominations.
            #expect(try await reviewer.get("/nominations/new?category=member").status == .forbidden)
        }
    }

    @Test("two submits racing for the last slot: exactly one wins")
    func lastSlotRace() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honors-race-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // On PostgreSQL the shared test server is used; on SQLite a real file, as in production.
        let database: DatabaseChoice? = onPostgres ? nil : .sqliteFile(path: folder + "/honors.sqlite")
        try await withHonorsApp(database: database) { app, _ in
            let kuaidi = try await Self.operatorOf("市快递行业党委", "kuaidi", app: app)
            var ids: [Int] = []
            for n in 0..<4 {
                let id = try await Self.create(kuaidi, Samples.memberForm(name: "候选\(n)", id: Samples.idNumber(sequence: 101 + n * 2)))
                _ = try await kuaidi.upload("/nominations/\(id)/photo", field: "photo", filename: "p.png",
                                            data: Samples.png(), contentType: "image/png")
                try await Flow.uploadScan(kuaidi, id, app: app)
                ids.append(id)
            }
            var versions: [Int: Int] = [:]
            var browsers: [Int: Browser] = [:]
            for id in ids {
                versions[id] = try await Self.version(id, app)
                // One browser each, as four people at four desks.
                let browser = Browser(app)
                try await browser.signIn("kuaidi")
                browsers[id] = browser
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for id in ids {
                    let version = versions[id]!, browser = browsers[id]!
                    group.addTask {
                        try await browser.post("/nominations/\(id)/submit", Self.submitForm(version: version)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            let submitted = try await Nomination.query(on: app.db).filter(\.$state == "submitted").count()
            #expect(submitted == 1)
        }
    }
}
