import Fluent
import Foundation
import HonorsCore

/// 曾获表彰: the honours a person (the same ID number, through its keyed hash) or an organisation (the same
/// name and unit) received in closed campaigns. The entry form offers them for 受表彰情况; the review queue
/// flags a repeat within the last three years.
struct PastHonour: Sendable, Equatable {
    let awardYear: Int
    let category: NominationCategory
    let decision: String
    let campaignID: Int

    /// `2023年度“优秀共产党员”（鄂党联发〔2024〕5号）`
    var text: String { "\(awardYear)年度“\(category.label)”（\(decision)）" }
}

enum PastHonours {
    /// A repeat counts when it is this many award years back or fewer.
    static let repeatYears = 3

    /// A person's honours, given the keyed hashes of their ID number (`SecretBox.keyedHashes`, so a row still
    /// under an older key is found too), newest first.
    static func of(idHashes: [String], excludingCampaign: Int?, on db: any Database) async throws -> [PastHonour] {
        guard !idHashes.isEmpty else { return [] }
        return try await honours(commended(Nomination.query(on: db).filter(\.$idHash ~~ idHashes), excludingCampaign: excludingCampaign),
                                 on: db)
    }

    /// An organisation's honours: the same 党组织名称 and 所在单位, as typed (spaces and width normalised).
    static func of(orgName: String, orgUnit: String, excludingCampaign: Int?, on db: any Database) async throws -> [PastHonour] {
        try await of(organisations: [0: (orgName, orgUnit)], excludingCampaign: excludingCampaign, on: db)[0] ?? []
    }

    /// Several organisations' honours, by the caller's key, in one query.
    static func of(organisations: [Int: (name: String, unit: String)], excludingCampaign: Int?,
                   on db: any Database) async throws -> [Int: [PastHonour]] {
        let wanted = organisations.compactMapValues { org -> (name: String, unit: String)? in
            let name = TextInput.line(org.name)
            return name.isEmpty ? nil : (name, normalized(org.unit))
        }
        guard !wanted.isEmpty else { return [:] }
        let rows = try await commended(Nomination.query(on: db).filter(\.$displayName ~~ Set(wanted.values.map(\.name)))
            .filter(\.$category == NominationCategory.org.rawValue).field(\.$displayName), excludingCampaign: excludingCampaign)
        guard !rows.isEmpty else { return [:] }
        let units = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.requireID(), normalized(Nomination.values(from: $0.data)["org_unit"] ?? "")) })
        var found: [Int: [PastHonour]] = [:]
        for (key, org) in wanted {
            let same = rows.filter { $0.displayName == org.name && units[$0.id ?? 0] == org.unit }
            if !same.isEmpty { found[key] = try await honours(same, on: db) }
        }
        return found
    }

    private static func normalized(_ text: String) -> String {
        TextInput.halfWidth(TextInput.line(text)).filter { !$0.isWhitespace }
    }

    /// The commended nominations of closed campaigns (other than `excludingCampaign`) `query` finds.
    private static func commended(_ query: QueryBuilder<Nomination>, excludingCampaign: Int?) async throws -> [Nomination] {
        try await query.filter(\.$state == NominationState.commended.rawValue)
            .join(Campaign.self, on: \Nomination.$campaign.$id == \Campaign.$id)
            .filter(Campaign.self, \.$closedAt != nil)
            .field(\.$id).field(\.$category).field(\.$data).field(\.$campaign.$id)
            .field(Campaign.self, \.$awardYear)
            .all()
            .filter { $0.$campaign.id != excludingCampaign }
    }

    private static func honours(_ rows: [Nomination], on db: any Database) async throws -> [PastHonour] {
        guard !rows.isEmpty else { return [] }
        let decisions = try await decisionNumbers(Set(rows.map(\.$campaign.id)), on: db)
        return try rows.map { n in
            PastHonour(awardYear: try n.joined(Campaign.self).awardYear, category: n.categoryValue,
                       decision: decisions[n.$campaign.id] ?? "", campaignID: n.$campaign.id)
        }.sorted { ($0.awardYear, $0.category.rawValue) > ($1.awardYear, $1.category.rawValue) }
    }

    /// The line offered for 受表彰情况.
    static func offer(_ honours: [PastHonour]) -> String? {
        honours.isEmpty ? nil : honours.map(\.text).joined(separator: "；")
    }

    /// For the review queue: the nominations on a page (`rows`, read with `id_hash`, `display_name`, `category`)
    /// of a campaign of `awardYear` with an honour within `repeatYears`, by nomination id.
    /// A nomination of a list, as much as `recentRepeats` asks of it.
    struct Candidate: Sendable {
        let id: Int
        let category: NominationCategory
        let idHash: String?
        let displayName: String
    }

    static func recentRepeats(_ rows: [Candidate], campaignID: Int, awardYear: Int, on db: any Database) async throws -> [Int: [PastHonour]] {
        var found: [Int: [PastHonour]] = [:]
        let recent = { (h: PastHonour) in h.awardYear < awardYear && h.awardYear >= awardYear - repeatYears }
        let people = rows.filter { $0.category.isPerson && $0.idHash != nil }
        if !people.isEmpty {
            let hashes = Set(people.compactMap(\.idHash))
            let past = try await Nomination.query(on: db).filter(\.$idHash ~~ hashes)
                .filter(\.$state == NominationState.commended.rawValue)
                .join(Campaign.self, on: \Nomination.$campaign.$id == \Campaign.$id).filter(Campaign.self, \.$closedAt != nil)
                .field(\.$idHash).field(\.$category).field(\.$campaign.$id).field(Campaign.self, \.$awardYear).all()
            let decisions = try await decisionNumbers(Set(past.map(\.$campaign.id)), on: db)
            var byHash: [String: [PastHonour]] = [:]
            for n in past where n.$campaign.id != campaignID {
                let honour = PastHonour(awardYear: try n.joined(Campaign.self).awardYear, category: n.categoryValue,
                                        decision: decisions[n.$campaign.id] ?? "", campaignID: n.$campaign.id)
                if recent(honour), let hash = n.idHash { byHash[hash, default: []].append(honour) }
            }
            for row in people { if let hash = row.idHash, let honours = byHash[hash] { found[row.id] = honours } }
        }
        let orgs = rows.filter { !$0.category.isPerson }
        if !orgs.isEmpty {
            // The unit is in the form's data: read for the organisations of this page only.
            let units = Dictionary(uniqueKeysWithValues: try await Nomination.query(on: db).filter(\.$id ~~ orgs.map(\.id))
                .field(\.$id).field(\.$data).all().compactMap { n in n.id.map { ($0, Nomination.values(from: n.data)["org_unit"] ?? "") } })
            let organisations = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id, ($0.displayName, units[$0.id] ?? "")) })
            for (id, honours) in try await of(organisations: organisations, excludingCampaign: campaignID, on: db) {
                let recentOnes = honours.filter(recent)
                if !recentOnes.isEmpty { found[id] = recentOnes }
            }
        }
        return found
    }

    private static func decisionNumbers(_ campaigns: Set<Int>, on db: any Database) async throws -> [Int: String] {
        guard !campaigns.isEmpty else { return [:] }
        return Dictionary(try await Commendation.query(on: db).filter(\.$campaign.$id ~~ campaigns)
            .field(\.$campaign.$id).field(\.$number).all().map { ($0.$campaign.id, $0.number) }, uniquingKeysWith: { a, _ in a })
    }
}
