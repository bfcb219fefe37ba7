import Fluent
import Foundation
import HonorsCore

/// A campaign's 公示: one per campaign, its period and where objections go, published on the public page.
final class Publicity: Model, @unchecked Sendable {
    static let schema = "publicities"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Parent(key: "campaign_id") var campaign: Campaign
    @Field(key: "start_on") var startOn: String
    @Field(key: "end_on") var endOn: String
    @Field(key: "working_days") var workingDays: Int
    @Field(key: "contact_unit") var contactUnit: String
    @Field(key: "contact_phone") var contactPhone: String
    @Field(key: "contact_address") var contactAddress: String
    @Field(key: "started_by") var startedBy: String
    @Field(key: "started_at") var startedAt: Date

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $campaign, $startOn, $endOn, $workingDays, $contactUnit, $contactPhone, $contactAddress,
         $startedBy, $startedAt]
    }

    init() {}

    init(campaignID: Int, plan: PublicityPlan, by username: String, at now: Date) {
        version = 1
        $campaign.id = campaignID
        startOn = plan.first.description
        endOn = plan.last.description
        workingDays = plan.workingDays
        contactUnit = plan.contactUnit
        contactPhone = plan.contactPhone
        contactAddress = plan.contactAddress
        startedBy = username
        startedAt = now
    }

    var period: PublicityPeriod { Self.period(startOn: startOn, endOn: endOn, startedAt: startedAt) }

    /// The period of stored columns (a day that does not read as one counts as the day the 公示 was started).
    static func period(startOn: String, endOn: String, startedAt: Date) -> PublicityPeriod {
        PublicityPeriod(first: DayStamp(startOn) ?? DayStamp(startedAt), last: DayStamp(endOn) ?? DayStamp(startedAt))
    }

    static func of(campaign id: Int, on db: any Database) async throws -> Publicity? {
        try await Publicity.query(on: db).filter(\.$campaign.$id == id).first()
    }
}

/// An objection filed on the public page. The objector's name and phone are personal data: sealed by the
/// key ring, shown masked, in full to the administrator only (and on record when revealed).
final class Objection: Model, @unchecked Sendable {
    static let schema = "objections"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "nomination_id") var nomination: Nomination
    @Field(key: "objector_name_enc") var objectorNameSealed: String
    @Field(key: "objector_phone_enc") var objectorPhoneSealed: String
    @Field(key: "secret_key_id") var secretKeyID: String
    @Field(key: "content") var content: String
    @OptionalField(key: "attachment_file") var attachmentFile: String?
    /// Keyed hash of the sender's address: what the per-address limits count, without keeping the address.
    @Field(key: "address_hash") var addressHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "check_note") var checkNote: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $campaign, $nomination, $objectorNameSealed, $objectorPhoneSealed, $secretKeyID, $content,
         $attachmentFile, $addressHash, $createdAt, $outcome, $checkNote, $decidedBy, $decidedAt]
    }

    init() {}

    var outcomeValue: ObjectionOutcome? { outcome.flatMap(ObjectionOutcome.init(rawValue:)) }

    /// Stores an objection as filed, the objector's name and phone sealed, on record with both masked.
    static func file(_ input: ObjectionInput, campaignID: Int, addressHash: String, attachment: String? = nil, box: SecretBox, actor: Actor,
                     at now: Date, on db: any Database) async throws {
        let objection = Objection()
        objection.version = 1
        objection.$campaign.id = campaignID
        objection.$nomination.id = input.nominationID
        objection.objectorNameSealed = try box.seal(input.objectorName)
        objection.objectorPhoneSealed = try box.seal(input.objectorPhone)
        objection.secretKeyID = box.keyID
        objection.content = input.content
        objection.addressHash = addressHash
        objection.attachmentFile = attachment
        objection.createdAt = now
        try await objection.create(on: db)
        let nominee = try await Nomination.query(on: db).filter(\.$id == input.nominationID).field(\.$displayName).first()?.displayName ?? ""
        try await Audit.record(on: db, actor: actor, action: "objection.file", objectType: "objection",
                               objectID: "\(try objection.requireID())", objectLabel: "对 \(nominee) 的异议",
                               changes: [FieldChange("nomination", old: nil, new: "\(input.nominationID)"),
                                         FieldChange("objector_name", old: nil, new: input.objectorName, sensitive: true),
                                         FieldChange("objector_phone", old: nil, new: input.objectorPhone, sensitive: true),
                                         FieldChange("attachment", old: nil, new: attachment)],
                               at: now)
    }
}
