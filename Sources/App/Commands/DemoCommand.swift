import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import SQLKit
import Vapor

/// `honors demo --nominations N`: an open campaign (the notice's, deadline 30 days ahead) with quotas
/// granted to fit N, demo accounts (an operator per committee, a reviewer, an administrator), and N synthetic
/// nominations spread over every state of the workflow, with photos, scans, 纪检 replies, reviewers' notes,
/// opinions and the notifications they cause. Every step goes the way a person's would: through
/// `NominationService` and `NominationTransitions`, each on the audit trail; past the first 200, nominations are replicas of
/// those (`DemoReplica.swift`), so that 100 000 take seconds. With nominations it also leaves a
/// campaign in 公示 and last year's, closed with its decision and certificates (`DemoCampaignEnd.swift`). For trying and measuring
/// Honors; never on a real data folder.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "nominations", help: "how many synthetic nominations to add (default 50)") var nominations: Int?
    }

    let help = "添加演示数据 (add a demo campaign, accounts and synthetic nominations)"
    static let documentNumber = "演示〔试用〕1号"
    /// Nominations played per transaction.
    static let batch = 100
    /// How many are played step by step before the rest are replicated, and replicas written per transaction.
    static let played = 200
    static let replicaBatch = 500

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = max(0, signature.nominations ?? 50)
        let committees = try await Committee.query(on: app.db).filter(\.$active == true).sort(\.$sortOrder).all()
        let campaign = try await demoCampaign(app, committees: committees, nominations: count)
        context.console.info("演示活动：\(campaign.documentNumber)，报送截止 \(campaign.deadline.chinese)")

        let cast = try await self.cast(app, committees: committees, console: context.console)
        var data = DemoData()
        try await addNominations(app, campaign: campaign, cast: cast, data: &data, count: count, target: DemoNomination.Target.of,
                                 console: context.console)
        // The campaign's end, in campaigns of their own (with `--nominations 0` the data folder stays minimal).
        if count > 0 {
            try await campaignEnd(app, cast: cast, data: &data, console: context.console)
        }
        // PostgreSQL plans by its statistics, which autovacuum gathers about a minute after the rows arrived:
        // until then `honors check` at 30 000 nominations took 18 s instead of a fraction of one.
        if !app.db.isSQLite { try await (app.db as! any SQLDatabase).raw("ANALYZE").run() }
        context.console.info("完成。")
    }

    /// Who plays the demo: an operator per committee, the reviewer, the administrator, and the photo they use.
    struct Cast {
        let committees: [Committee]
        let operators: [Int: CurrentUser]
        let reviewer: CurrentUser
        let admin: CurrentUser
        let photo: String
    }

    /// `count` nominations spread over the committees and categories, each played to `target(index)`: the
    /// first `played` (and the first of each category and target) step by step through the workflow, the
    /// rest replicated from those in batches (`DemoReplica`).
    func addNominations(_ app: Application, campaign: Campaign, cast: Cast, data: inout DemoData, count: Int,
                        target: (Int) -> DemoNomination.Target, played: Int = Self.played,
                        console: any Console) async throws {
        let committees = cast.committees
        var templates: [Kind: Int] = [:], loaded: [Kind: DemoReplica.Template] = [:]
        func kind(_ index: Int) -> Kind {
            Kind(target: target(index), category: NominationCategory.allCases[(index / committees.count) % 3])
        }
        // Replicas are prepared (checked, sealed, fingerprinted) while the batch before them is written.
        var made = 0, analyzedAt = 0, analyzing: Task<Void, Never>?, writing: Task<Int, any Error>?
        do {
            while made < count {
                var next = made
                func settle() async throws {
                    guard let task = writing else { return }
                    writing = nil
                    made += try await task.value
                    console.print("\(campaign.documentNumber)：已生成 \(made) / \(count) 条推荐")
                    await analyzeWhenGrown(app, made: made, last: &analyzedAt, running: &analyzing)
                }
                while next < count {
                    // A batch is either played or replicated. Past `played`, a nomination is a replica when one of its
                    // kind came before it, and played (to be the template of the rest) when it is the first.
                    let replicating = next >= played && templates[kind(next)] != nil
                    var batch: [Int] = []
                    var kinds: Set<Kind> = []
                    for index in next..<min(count, next >= played ? next + (replicating ? Self.replicaBatch : Self.batch) : min(next + Self.batch, played)) {
                        let known = templates[kind(index)] != nil || kinds.contains(kind(index))
                        if next >= played, known != replicating { break }
                        batch.append(index)
                        kinds.insert(kind(index))
                    }
                    next += batch.count
                    var inputs: [(index: Int, input: NominationInput, user: CurrentUser)] = []
                    for index in batch {
                        let category = kind(index).category
                        let values = data.values(for: category, signedOn: DayStamp(app.clock.now()))
                        inputs.append((index, NominationInput(category: category, values: values,
                                                              attestations: category.isPerson ? Set(NominationForm.attestations.map(\.key)) : [],
                                                              hasPhoto: category.isPerson),
                                       cast.operators[try committees[index % committees.count].requireID()]!))
                    }
                    if replicating {
                        var rows: [DemoReplica.Row] = []
                        for (index, input, user) in inputs {
                            let key = kind(index)
                            if loaded[key] == nil { loaded[key] = try await DemoReplica.Template.load(templates[key]!, on: app.db) }
                            let service = NominationService(app: app, db: app.db, user: user, actor: Self.actor(user), now: app.clock.now())
                            let result = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: app.clock.now())
                            rows.append(.init(prepared: try service.columns(result, input: input, campaign: campaign, existing: nil),
                                              operatorUser: user, template: loaded[key]!))
                        }
                        let built = try DemoReplica.build(rows, campaign: campaign, now: app.clock.now()), campaignID = try campaign.requireID()
                        let ready = try await DemoReplica.prepare(built, on: app.db)
                        try await settle()
                        writing = Task { try await app.write { db in try await DemoReplica.write(ready, campaignID: campaignID, on: db) } }
                    } else {
                        // Played ones become templates: whatever is being written goes in first.
                        try await settle()
                        var rows: [DemoNomination] = []
                        for (index, input, user) in inputs {
                            let service = NominationService(app: app, db: app.db, user: user, actor: Self.actor(user), now: app.clock.now())
                            rows.append(DemoNomination(prepared: try await service.prepare(input, campaign: campaign, existing: nil),
                                                       target: target(index), operatorUser: user,
                                                       photo: input.category.isPerson ? cast.photo : nil))
                        }
                        let ready = rows
                        let ids = try await app.write { db in
                            var ids: [Int] = []
                            for row in ready {
                                ids.append(try await row.play(app: app, campaign: campaign, reviewer: cast.reviewer, admin: cast.admin, on: db))
                            }
                            return ids
                        }
                        for (index, id) in zip(batch, ids) where templates[kind(index)] == nil { templates[kind(index)] = id }
                        made += batch.count
                        console.print("\(campaign.documentNumber)：已生成 \(made) / \(count) 条推荐")
                    }
                }
                // Replicas of people the campaign already held were left out: the next round makes up for them.
                try await settle()
            }
        } catch {
            // A batch being written and a statistics run end before the command does (the first error is the one
            // reported).
            _ = try? await writing?.value
            await analyzing?.value
            throw error
        }
        await analyzing?.value
    }

    /// PostgreSQL: the nominations' statistics gathered again each time their number has doubled since (from
    /// 1 000 on). Autovacuum would first do it a minute in; until then the planner took the duplicate check of
    /// each batch (`DemoReplica.write`) for a scan of the campaign, 60 ms at 100 000 rows instead of 3. It runs
    /// beside the writes (up to a quarter of a second at 64 000 rows), not between them; a failure only slows
    /// what follows, so it is logged, not thrown.
    private func analyzeWhenGrown(_ app: Application, made: Int, last: inout Int, running: inout Task<Void, Never>?) async {
        guard !app.db.isSQLite, made >= max(1000, 2 * last) else { return }
        await running?.value
        running = Task {
            do { try await (app.db as! any SQLDatabase).raw("ANALYZE nominations").run() }
            catch { app.logger.warning("demo: ANALYZE nominations: \(String(reflecting: error))") }
        }
        last = made
    }

    /// What a replica copies: a played nomination of the same category that went to the same state.
    struct Kind: Hashable {
        let target: DemoNomination.Target
        let category: NominationCategory
    }

    /// The demo accounts (made the first time) and the photo they use.
    func cast(_ app: Application, committees: [Committee], console: any Console) async throws -> Cast {
        var operators: [Int: CurrentUser] = [:]
        for (index, committee) in committees.enumerated() {
            operators[try committee.requireID()] = try await account(app, "demo\(index + 1)", role: .committee,
                                                                     name: "\(committee.name)经办人", committee: committee,
                                                                     console: console)
        }
        let reviewer = try await account(app, "demoreview", role: .reviewer, name: "演示审核人员", committee: nil, console: console)
        let admin = try await account(app, "demoadmin", role: .admin, name: "演示管理员", committee: nil, console: console)
        let photo = try UploadStore(app: app, kind: .photo).store(Self.photo, extension: "png")
        return Cast(committees: committees, operators: operators, reviewer: reviewer, admin: admin, photo: photo)
    }

    static func actor(_ user: CurrentUser) -> Actor {
        Actor(userID: user.id, name: user.username, role: user.role.rawValue, address: "demo")
    }

    /// A demo account, made once; its password is printed when it is made.
    private func account(_ app: Application, _ username: String, role: Role, name: String, committee: Committee?,
                         console: any Console) async throws -> CurrentUser {
        var user = try await User.query(on: app.db).filter(\.$username == username).first()
        if user == nil {
            let password = AccountService.temporaryPassword()
            user = try await AccountService(app: app, actor: .commandLine(), now: app.clock.now()).create(
                username: username, displayName: name, role: role, committee: committee,
                passwordHash: try await app.password.async.hash(password), mustChangePassword: false)
            console.print("账号 \(username) / \(password)（\(name)）")
        } else {
            console.print("账号 \(username)（\(name)）已存在")
        }
        let found = user!
        return CurrentUser(id: try found.requireID(), username: found.username, displayName: found.displayName,
                           role: found.role, committeeID: found.$committee.id, mustChangePassword: false, sessionID: "demo")
    }

    /// The notice's campaign copied, open from today for 30 days, each committee's limits granted up to what
    /// its share of the demo nominations will occupy.
    func demoCampaign(_ app: Application, committees: [Committee], nominations: Int,
                      documentNumber: String = Self.documentNumber, titlePrefix: String = "（演示）", yearsBack: Int = 0,
                      target: (Int) -> DemoNomination.Target = DemoNomination.Target.of) async throws -> Campaign {
        if let existing = try await Campaign.query(on: app.db).filter(\.$documentNumber == documentNumber).first() {
            return existing
        }
        guard let source = try await Campaign.query(on: app.db).filter(\.$documentNumber == Notice2024.documentNumber).first()
        else { throw Abort(.internalServerError, reason: "the seeded campaign is missing") }
        let today = DayStamp(app.clock.now())
        let campaign = Campaign(copying: source)
        campaign.documentNumber = documentNumber
        campaign.title = titlePrefix + source.title
        campaign.awardYear = source.awardYear - yearsBack
        campaign.issuedOn = today.description
        campaign.deadlineOn = today.adding(days: 30).description
        // Slots each committee and category needs: how many of its nominations will take one.
        var needed: [String: Int] = [:]
        for index in 0..<nominations where target(index).occupiesSlot {
            let committee = committees[index % committees.count].id ?? 0
            needed["\(committee)-\(NominationCategory.allCases[(index / committees.count) % 3].rawValue)", default: 0] += 1
        }
        let slots = needed
        try await app.write { db in
            try await campaign.create(on: db)
            for quota in try await CampaignQuota.query(on: db).filter(\.$campaign.$id == source.id!).all() {
                // One more than will stay occupied: a nomination on its way to 未通过 holds one while it is submitted.
                let need = (slots["\(quota.$committee.id)-\(quota.category)"] ?? 0) + 1
                try await CampaignQuota(campaignID: campaign.id!, committeeID: quota.$committee.id, category: quota.category,
                                        guiding: quota.guiding, granted: max(0, need - quota.guiding)).create(on: db)
            }
            try await Audit.record(on: db, actor: .commandLine(), action: "campaign.create", objectType: "campaign",
                                   objectID: campaign.id.map(String.init), objectLabel: campaign.documentNumber,
                                   changes: [FieldChange("copied_from", old: nil, new: source.documentNumber)],
                                   at: app.clock.now())
        }
        return campaign
    }

    /// A plain 350×490 portrait placeholder (the 二寸 shape): a grey figure on white.
    static let photo: Data = {
        let width = 350, height = 490
        var black = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x - width / 2), head = Double(y - 170), body = Double(y - 470)
                let inHead = dx * dx / (75 * 75) + head * head / (95 * 95) <= 1
                let inBody = y > 280 && dx * dx / (160 * 160) + body * body / (190 * 190) <= 1
                black[y * width + x] = (inHead || inBody) && (x + y) % 3 == 0
            }
        }
        return PNGWriter.blackAndWhite(width: width, height: height, black: black)
    }()
}
