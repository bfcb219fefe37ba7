import Fluent
import Foundation
import HonorsCore

/// A campaign's 表彰决定, once issued: its number, title, preamble, issuing body and date.
final class Commendation: Model, @unchecked Sendable {
    static let schema = "commendations"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Parent(key: "campaign_id") var campaign: Campaign
    @Field(key: "decision_number") var number: String
    @Field(key: "decision_title") var title: String
    @Field(key: "decision_preamble") var preamble: String
    @Field(key: "issuing_body") var issuingBody: String
    @Field(key: "issued_on") var issuedOn: String
    @Field(key: "issued_by") var issuedBy: String
    @Field(key: "issued_at") var issuedAt: Date

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $campaign, $number, $title, $preamble, $issuingBody, $issuedOn, $issuedBy, $issuedAt]
    }

    init() {}

    var text: DecisionText {
        DecisionText(number: number, title: title, preamble: preamble, issuingBody: issuingBody,
                     issuedOn: DayStamp(issuedOn) ?? DayStamp(issuedAt))
    }

    static func of(campaign id: Int, on db: any Database) async throws -> Commendation? {
        try await Commendation.query(on: db).filter(\.$campaign.$id == id).first()
    }
}

/// One 荣誉证书: its number and what it says, kept as issued so the public lookup reads one row.
final class Certificate: Model, @unchecked Sendable {
    static let schema = "certificates"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "number") var number: String
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "nomination_id") var nomination: Nomination
    @Field(key: "category") var category: String
    /// 姓名, or the organisation's name.
    @Field(key: "display_name") var displayName: String
    @Field(key: "sequence") var sequence: Int

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $number, $campaign, $nomination, $category, $displayName, $sequence]
    }

    init() {}

    var categoryValue: NominationCategory { NominationCategory(rawValue: category) ?? .member }
}
