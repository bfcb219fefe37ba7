import Crypto
import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// What must always hold in the database, read in full and reported in Chinese with the records named:
/// `honors check` runs it for an operator, the test suite after every test that writes.
enum InvariantCheck {
    struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// Which rule, in a word: `slots`, `person`, `state`, `scan`, `file`, `creation`, `tally`, `fixing`, `composition`, `name`, `sealed`, `audit`.
        let rule: String
        let detail: String
        var description: String { detail }
    }

    static func run(_ app: Application, on db: any Database, at now: Date) async throws -> [Finding] {
        var findings: [Finding] = []
        findings += try await slots(on: db, at: now)
        findings += try await people(on: db)
        findings += try await states(on: db)
        findings += try await scans(on: db)
        findings += try await files(app, on: db)
        findings += try await creations(on: db)
        findings += try await tallies(on: db)
        findings += try await fixTallies(on: db)
        findings += try await composition(on: db)
        findings += try await compositionOverall(on: db)
        findings += try await nameIndex(on: db)
        findings += try await sealed(app.secrets, on: db)
        let chain = try await AuditVerifier.verify(on: db)
        if let problem = chain.problem { findings.append(Finding(rule: "audit", detail: "审计日志：\(problem.detail)")) }
        return findings
    }

    /// Used slots ≤ guiding + granted for every committee × category of every campaign.
    static func slots(on db: any Database, at now: Date) async throws -> [Finding] {
        let names = try await Committee.names(on: db)
        var findings: [Finding] = []
        for campaign in try await Campaign.query(on: db).all() {
            let id = try campaign.requireID()
            let used = try await QuotaUsage.recount(campaignID: id, at: now, on: db)
            let quotas = try await CampaignQuota.query(on: db).filter(\.$campaign.$id == id).all()
            for (committee, categories) in used {
                for (category, count) in categories {
                    let quota = quotas.first { $0.$committee.id == committee && $0.category == category }
                    let limit = (quota?.guiding ?? 0) + (quota?.granted ?? 0)
                    if count > limit {
                        findings.append(Finding(rule: "slots", detail: "\(campaign.documentNumber) \(names[committee] ?? "#\(committee)") \(NominationCategory(rawValue: category)?.label ?? category)：占用 \(count) 个名额，可报只有 \(limit) 个。"))
                    }
                }
            }
        }
        return findings
    }

    /// The tallies lists and the dashboard count from hold what a count of the nominations gives, key by key.
    static func tallies(on db: any Database) async throws -> [Finding] {
        let columns = CreateNominationTally.columns
        let key = zip(CreateNominationTally.key("nominations"), columns).map { "\($0) AS \($1)" }.joined(separator: ", ")
        return try await counts(on: db, table: "nomination_tallies", columns: columns,
                                recount: "SELECT \(key), COUNT(*) AS n FROM nominations GROUP BY \(columns.indices.map { "\($0 + 1)" }.joined(separator: ", "))") { key, want, have in
            Finding(rule: "tally", detail: "计数表与推荐记录不符（\(key)）：记录 \(want) 条，计数表 \(have) 条。")
        }
    }

    /// The counts of returned nominations per 补正期限 hold what the nominations give (`CreateNominationFixTally`).
    static func fixTallies(on db: any Database) async throws -> [Finding] {
        let columns = CreateNominationFixTally.columns
        let differ = try await counts(on: db, table: CreateNominationFixTally.table, columns: columns, recount: """
            SELECT \(columns.joined(separator: ", ")), COUNT(*) AS n FROM nominations \
            WHERE \(CreateNominationFixTally.counted("nominations")) GROUP BY \(columns.joined(separator: ", "))
            """) { key, want, have in
            Finding(rule: "fixing", detail: "补正名额计数表与推荐记录不符（\(key)）：记录 \(want) 条，计数表 \(have) 条。")
        }
        // Lines at zero compare equal above; the triggers delete them, so one left shows they did not.
        let empty = try await (db as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(CreateNominationFixTally.table).where("n", .lessThanOrEqual, 0).first()?.decode(column: "n", as: Int.self) ?? 0
        return differ + (empty == 0 ? [] : [Finding(rule: "fixing", detail: "补正名额计数表中有 \(empty) 行计数为零或负数，应已删除。")])
    }

    /// The composition counts hold what the nominations' forms give, value by value (`CreateNominationComposition`).
    static func composition(on db: any Database) async throws -> [Finding] {
        let sqlite = (db as! any SQLDatabase).dialect.name == "sqlite"
        return try await counts(on: db, table: "nomination_composition", columns: CreateNominationComposition.columns,
                                recount: CreateNominationComposition.recount(sqlite: sqlite)) { key, want, have in
            Finding(rule: "composition", detail: "构成统计表与推荐记录不符（\(key)）：记录 \(want) 条，统计表 \(have) 条。")
        }
    }

    /// The composition counts of every committee together hold what the nominations' forms give, list by list
    /// (`CreateCompositionOverall`).
    static func compositionOverall(on db: any Database) async throws -> [Finding] {
        let sqlite = (db as! any SQLDatabase).dialect.name == "sqlite"
        let key = CreateCompositionOverall.columns.joined(separator: ", ")
        // The forms are read once (a JSON read per facet of every nomination), then summed for each list.
        let lists = CompositionStage.allCases.map { stage in
            "SELECT \(key), '\(stage.rawValue)' AS list, CAST(SUM(n) AS BIGINT) AS n FROM counted WHERE \(CreateCompositionOverall.within(stage)) GROUP BY \(key)"
        }
        let recounted = """
            WITH counted AS MATERIALIZED (SELECT \(key), state, SUM(n) AS n FROM (\(CreateNominationComposition.recount(sqlite: sqlite))) AS c \
            GROUP BY \(key), state) \(lists.joined(separator: " UNION ALL "))
            """
        let kept = CompositionStage.allCases.map { "SELECT \(key), '\($0.rawValue)' AS list, \($0.rawValue) AS n FROM \(CreateCompositionOverall.table)" }
        return try await counts(on: db, table: "(\(kept.joined(separator: " UNION ALL "))) AS kept", columns: CreateCompositionOverall.columns + ["list"],
                                recount: recounted) { key, want, have in
            Finding(rule: "composition", detail: "构成总表与推荐记录不符（\(key)）：记录 \(want) 条，总表 \(have) 条。")
        }
    }

    /// A table of counts kept by triggers against `recount` (a query giving the same `columns` and `n`), key by
    /// key; keys counted zero on both sides agree.
    private static func counts(on db: any Database, table: String, columns: [String], recount: String,
                               finding: (String, Int, Int) -> Finding) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        func read(_ query: String) async throws -> [String: Int] {
            var out: [String: Int] = [:]
            for row in try await sql.raw(SQLQueryString(query)).all() {
                let parts = try columns.map { column -> String in
                    if let text = try? row.decode(column: column, as: String.self) { return text }
                    if let number = try? row.decode(column: column, as: Int.self) { return "\(number)" }
                    return "\(try row.decode(column: column, as: Date.self))"
                }
                let n = try row.decode(column: "n", as: Int.self)
                if n != 0 { out[parts.joined(separator: " / "), default: 0] += n }
            }
            return out
        }
        let counted = try await read(recount)
        let kept = try await read("SELECT \(columns.joined(separator: ", ")), n FROM \(table)")
        return Set(counted.keys).union(kept.keys).sorted().compactMap { key in
            let (want, have) = (counted[key] ?? 0, kept[key] ?? 0)
            return want == have ? nil : finding(key, want, have)
        }
    }

    /// The name index holds each character of each name and nothing else (`CreateNominationNameIndex`).
    static func nameIndex(on db: any Database) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        let names = "SELECT substr(display_name, n, 1) AS ch, id AS nomination_id FROM nominations JOIN name_positions ON n <= length(display_name)"
        let index = "SELECT ch, nomination_id FROM nomination_name_chars"
        func differ(_ from: String, _ without: String, _ text: String) async throws -> [Finding] {
            try await sql.raw(SQLQueryString("""
                SELECT DISTINCT nomination_id FROM (\(unsafeRaw: from) EXCEPT \(unsafeRaw: without)) AS d ORDER BY nomination_id LIMIT 20
                """)).all().map { row in
                Finding(rule: "name", detail: "推荐编号 \(try row.decode(column: "nomination_id", as: Int.self))：\(text)")
            }
        }
        return try await differ(names, index, "名称中的字不在姓名检索表中，按姓名搜索会找不到它。")
            + differ(index, names, "姓名检索表中有名称里没有的字。")
    }

    /// One live nomination per person and campaign, and never in both personal categories where the campaign
    /// keeps them apart.
    static func people(on db: any Database) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        var findings: [Finding] = []
        let twice = try await sql.raw("""
            SELECT campaign_id, person_scope, COUNT(*) AS n, MIN(id) AS first FROM nominations
            WHERE id_hash IS NOT NULL AND state <> 'withdrawn' GROUP BY campaign_id, id_hash, person_scope HAVING COUNT(*) > 1
            """).all()
        for row in twice {
            findings.append(Finding(rule: "person", detail: "活动 \(try row.decode(column: "campaign_id", as: Int.self)) 中同一人有 \(try row.decode(column: "n", as: Int.self)) 个有效推荐（其一为推荐编号 \(try row.decode(column: "first", as: Int.self))）。"))
        }
        let crossed = try await sql.raw("""
            SELECT n.campaign_id, MIN(n.id) AS first FROM nominations n JOIN campaigns c ON c.id = n.campaign_id
            WHERE n.id_hash IS NOT NULL AND n.state <> 'withdrawn' AND c.member_worker_exclusive = \(bind: true)
            GROUP BY n.campaign_id, n.id_hash HAVING COUNT(DISTINCT n.category) > 1
            """).all()
        for row in crossed {
            findings.append(Finding(rule: "person", detail: "活动 \(try row.decode(column: "campaign_id", as: Int.self)) 要求优秀共产党员和优秀党务工作者不交叉重复，而同一人在两类中都有有效推荐（其一为推荐编号 \(try row.decode(column: "first", as: Int.self))）。"))
        }
        return findings
    }

    /// Every nomination's state is one the workflow reaches, with what reaching it leaves behind.
    static func states(on db: any Database) async throws -> [Finding] {
        var findings: [Finding] = []
        var lastID = 0
        while true {
            let batch = try await Nomination.query(on: db).filter(\.$id > lastID).sort(\.$id).limit(500)
                .field(\.$id).field(\.$state).field(\.$submittedAt).field(\.$allianceOpinion).field(\.$integrityResult)
                .field(\.$fixBy).field(\.$decidedBy).all()
            for n in batch {
                let id = try n.requireID()
                lastID = id
                func problem(_ text: String) { findings.append(Finding(rule: "state", detail: "推荐编号 \(id)：\(text)")) }
                guard let state = NominationState(rawValue: n.state) else { problem("状态“\(n.state)”不是工作流中的状态。"); continue }
                if NominationState.reachedAlliance.contains(state), n.submittedAt == nil { problem("为“\(state.label)”却没有上报时间。") }
                if state == .approved || NominationState.afterApproval.contains(state) {
                    if (n.allianceOpinion ?? "").isEmpty { problem("为“\(state.label)”却没有联盟意见。") }
                    if n.integrityValue?.permitsApproval != true { problem("已审核通过而纪检答复不是“无意见”。") }
                }
                if state == .returned, n.fixBy == nil { problem("退回修改却没有补正期限。") }
                if Set([.approved, .rejected, .returned]).union(NominationState.afterApproval).contains(state), n.decidedBy == nil { problem("为“\(state.label)”却没有记录是谁作出的决定。") }
            }
            if batch.count < 500 { break }
        }
        return findings
    }

    /// Every current scan is one of the nomination's own, pinned to the fingerprint it names, printed from a
    /// version that existed.
    static func scans(on db: any Database) async throws -> [Finding] {
        var findings: [Finding] = []
        let pinned = try await Nomination.query(on: db).filter(\.$scanID != nil)
            .field(\.$id).field(\.$scanID).field(\.$scanFingerprint).field(\.$version).all()
        let scans = Dictionary(uniqueKeysWithValues: try await NominationScan.query(on: db).all().compactMap { s in s.id.map { ($0, s) } })
        for n in pinned {
            let id = try n.requireID()
            guard let scan = n.scanID.flatMap({ scans[$0] }), scan.$nomination.id == id else {
                findings.append(Finding(rule: "scan", detail: "推荐编号 \(id)：当前扫描件（编号 \(n.scanID ?? 0)）不存在或属于另一个推荐。"))
                continue
            }
            if scan.fingerprint != n.scanFingerprint {
                findings.append(Finding(rule: "scan", detail: "推荐编号 \(id)：扫描件记录的数据指纹与推荐记录的不一致。"))
            }
            if let printed = scan.printedVersion, printed > n.version {
                findings.append(Finding(rule: "scan", detail: "推荐编号 \(id)：扫描件打印自第 \(printed) 版，而推荐只到第 \(n.version) 版。"))
            }
        }
        return findings
    }

    /// Every stored file named in the database is there, with the content its name (a SHA-256) promises.
    static func files(_ app: Application, on db: any Database) async throws -> [Finding] {
        var findings: [Finding] = []
        for file in try await StoredFiles.referenced(on: db) {
            let (name, what) = (file.name, file.what)
            let store = UploadStore(app: app, kind: file.kind)
            guard let data = try store.read(name) else {
                findings.append(Finding(rule: "file", detail: "\(what)（\(name)）不在存储目录中。"))
                continue
            }
            let digest = SHA256.hash(data: data).hex
            if !name.hasPrefix(digest) { findings.append(Finding(rule: "file", detail: "\(what)（\(name)）的内容与其哈希不符：文件已被改动。")) }
        }
        return findings
    }

    /// Every nomination has its creation on the audit trail.
    static func creations(on db: any Database) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        let missing = try await sql.raw("""
            SELECT n.id FROM nominations n WHERE NOT EXISTS (
                SELECT 1 FROM audit_events a WHERE a.object_type = 'nomination' AND a.object_id = CAST(n.id AS TEXT)
                AND a.action = 'nomination.create')
            ORDER BY n.id LIMIT 100
            """).all()
        return try missing.map { row in
            Finding(rule: "creation", detail: "推荐编号 \(try row.decode(column: "id", as: Int.self)) 没有创建记录（操作日志中找不到“新建推荐”）。")
        }
    }

    /// Every sealed ID number and phone opens with the key its row names, a key of the ring, and the
    /// duplicate-check hash is that key's hash of the ID number: otherwise a person could be nominated twice
    /// unseen, or a value would be lost with a retired key.
    static func sealed(_ box: SecretBox, on db: any Database) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        var findings: [Finding] = []
        var after = 0
        while findings.count < 100 {
            let rows = try await sql.select().columns("id", "id_number_enc", "phone_enc", "id_hash", "secret_key_id")
                .from(Nomination.schema).where("id", .greaterThan, after).orderBy("id").limit(1000).all()
            guard let last = rows.last else { break }
            after = try last.decode(column: "id", as: Int.self)
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                let keyID = try row.decode(column: "secret_key_id", as: String?.self)
                let sealedID = try row.decode(column: "id_number_enc", as: String?.self)
                let sealedPhone = try row.decode(column: "phone_enc", as: String?.self)
                let hash = try row.decode(column: "id_hash", as: String?.self)
                func problem(_ text: String) { findings.append(Finding(rule: "sealed", detail: "推荐编号 \(id)：\(text)")) }
                let values = [sealedID, sealedPhone].compactMap { $0 }
                guard !values.isEmpty || keyID != nil else {
                    if hash != nil { problem("有查重哈希，却没有加密的身份证号。") }
                    continue
                }
                guard let keyID, box.keyIDs.contains(keyID) else {
                    problem("身份证号和电话由密钥 \(keyID ?? "（未记录）") 加密，它不在密钥环（\(box.keyIDs.joined(separator: "、"))）中。")
                    continue
                }
                if values.isEmpty { problem("记录了加密密钥，却没有加密的数据。") }
                if values.contains(where: { SecretBox.keyID(ofSealed: $0) != keyID }) {
                    problem("加密数据上的密钥与记录的密钥 \(keyID) 不一致。")
                    continue
                }
                let idNumber: String?
                do {
                    idNumber = try sealedID.map(box.open)
                    _ = try sealedPhone.map(box.open)
                } catch {
                    problem("加密的身份证号或电话无法打开（数据已被改动）。")
                    continue
                }
                if let hash, idNumber.flatMap({ box.keyedHash($0, keyID: keyID) }) != hash {
                    problem("查重哈希与身份证号不符：查重会漏掉此人。")
                }
            }
        }
        return findings
    }
}
