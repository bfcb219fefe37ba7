import Fluent
import Foundation
import HonorsCore
import SQLKit

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
        let rows = try await commended(excludingCampaign: excludingCampaign, on: db) {
            $0.where(SQLColumn("id_hash", table: Nomination.schema), .in, SQLBind.group(idHashes))
        }
        return try await honours(rows, on: db)
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
        let rows = try await commended(excludingCampaign: excludingCampaign, withData: true, on: db) {
            $0.where(SQLColumn("display_name", table: Nomination.schema), .in, SQLBind.group(Array(Set(wanted.values.map(\.name)))))
                .where(SQLColumn("category", table: Nomination.schema), .equal, SQLBind(NominationCategory.org.rawValue))
        }
        guard !rows.isEmpty else { return [:] }
        let units = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, normalized(Nomination.values(from: $0.data ?? "")["org_unit"] ?? "")) })
        var found: [Int: [PastHonour]] = [:]
        for (key, org) in wanted {
            let same = rows.filter { $0.displayName == org.name && units[$0.id] == org.unit }
            if !same.isEmpty { found[key] = try await honours(same, on: db) }
        }
        return found
    }

    private static func normalized(_ text: String) -> String {
        TextInput.halfWidth(TextInput.line(text)).filter { !$0.isWhitespace }
    }

    /// A commended nomination of a closed campaign, with the campaign's award year.
    private struct Commended {
        let id: Int
        let category: NominationCategory
        let displayName: String
        let idHash: String?
        let campaignID: Int
        let awardYear: Int
        /// The form's data, when asked for (an organisation's unit is in it).
        let data: String?
    }

    /// The commended nominations of closed campaigns (other than `excludingCampaign`) that `narrow` leaves.
    private static func commended(excludingCampaign: Int?, withData: Bool = false, on db: any Database,
                                  narrow: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Commended] {
        func nomination(_ column: String) -> SQLColumn { SQLColumn(column, table: Nomination.schema) }
        let select = (db as! any SQLDatabase).select()
            .columns(["id", "category", "display_name", "id_hash", "campaign_id"] .map(nomination) + (withData ? [nomination("data")] : []))
            .column(SQLColumn("award_year", table: Campaign.schema))
            .from(Nomination.schema)
            .join(Campaign.schema, on: nomination("campaign_id"), .equal, SQLColumn("id", table: Campaign.schema))
            .where(nomination("state"), .equal, SQLBind(NominationState.commended.rawValue))
            .where(SQLColumn("closed_at", table: Campaign.schema), .isNot, SQLLiteral.null)
        return try await narrow(select).plainRows().map { row in
            Commended(id: try row.decode(column: "id", as: Int.self),
                      category: NominationCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .member,
                      displayName: try row.decode(column: "display_name", as: String.self),
                      idHash: try row.decode(column: "id_hash", as: String?.self),
                      campaignID: try row.decode(column: "campaign_id", as: Int.self),
                      awardYear: try row.decode(column: "award_year", as: Int.self),
                      data: withData ? try row.decode(column: "data", as: String.self) : nil)
        }.filter { $0.campaignID != excludingCampaign }
    }

    private static func honours(_ rows: [Commended], on db: any Database) async throws -> [PastHonour] {
        guard !rows.isEmpty else { return [] }
        let decisions = try await decisionNumbers(Set(rows.map(\.campaignID)), on: db)
        return rows.map { PastHonour(awardYear: $0.awardYear, category: $0.category, decision: decisions[$0.campaignID] ?? "", campaignID: $0.campaignID) }
            .sorted { ($0.awardYear, $0.category.rawValue) > ($1.awardYear, $1.category.rawValue) }
    }

    /// The line offered for 受表彰情况.
    static func offer(_ honours: [PastHonour]) -> String? {
        honours.isEmpty ? nil : honours.map(\.text).joined(separator: "；")
    }

    /// A nomination of a list, as much as `recentRepeats` asks of it.
    struct Candidate: Sendable {
        let id: Int
        let category: NominationCategory
        let idHash: String?
        let displayName: String
    }

    /// For the review queue: the nominations on a page of a campaign of `awardYear` with an honour within
    /// `repeatYears`, by nomination id.
    static func recentRepeats(_ rows: [Candidate], campaignID: Int, awardYear: Int, on db: any Database) async throws -> [Int: [PastHonour]] {
        var found: [Int: [PastHonour]] = [:]
        let recent = { (h: PastHonour) in h.awardYear < awardYear && h.awardYear >= awardYear - repeatYears }
        let people = rows.filter { $0.category.isPerson && $0.idHash != nil }
        if !people.isEmpty {
            let past = try await commended(excludingCampaign: campaignID, on: db) {
                $0.where(SQLColumn("id_hash", table: Nomination.schema), .in, SQLBind.group(Array(Set(people.compactMap(\.idHash)))))
            }
            let decisions = try await decisionNumbers(Set(past.map(\.campaignID)), on: db)
            var byHash: [String: [PastHonour]] = [:]
            for n in past {
                let honour = PastHonour(awardYear: n.awardYear, category: n.category, decision: decisions[n.campaignID] ?? "", campaignID: n.campaignID)
                if recent(honour), let hash = n.idHash { byHash[hash, default: []].append(honour) }
            }
            for row in people { if let hash = row.idHash, let honours = byHash[hash] { found[row.id] = honours } }
        }
        let orgs = rows.filter { !$0.category.isPerson }
        if !orgs.isEmpty {
            // The unit is in the form's data: read for the organisations of this page only.
            let units = Dictionary(uniqueKeysWithValues: try await (db as! any SQLDatabase).select().column("id").column("data")
                .from(Nomination.schema).where("id", .in, SQLBind.group(orgs.map(\.id))).plainRows().map { row in
                    (try row.decode(column: "id", as: Int.self), Nomination.values(from: try row.decode(column: "data", as: String.self))["org_unit"] ?? "")
                })
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
        let rows = try await (db as! any SQLDatabase).select().column("campaign_id").column("decision_number").from(Commendation.schema)
            .where("campaign_id", .in, SQLBind.group(Array(campaigns))).plainRows()
        return Dictionary(try rows.map { (try $0.decode(column: "campaign_id", as: Int.self), try $0.decode(column: "decision_number", as: String.self)) },
                          uniquingKeysWith: { a, _ in a })
    }
}
