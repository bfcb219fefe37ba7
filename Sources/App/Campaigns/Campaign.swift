import Fluent
import Vapor
import Foundation
import HonorsCore

/// One year's commendation campaign, as its notice sets it out. Days are stored as `YYYY-MM-DD` in the
/// alliance's time zone, because that is how notices state them; instants are derived through `DayStamp`.
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"

    // Managed
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int

    // Data
    @Field(key: "title") var title: String
    @Field(key: "document_number") var documentNumber: String
    @Field(key: "award_year") var awardYear: Int
    @Field(key: "issued_on") var issuedOn: String
    @Field(key: "deadline_on") var deadlineOn: String
    @Field(key: "contact_unit") var contactUnit: String
    @Field(key: "contact_person") var contactPerson: String
    @Field(key: "contact_phone") var contactPhone: String
    @Field(key: "contact_email") var contactEmail: String

    // Rule settings
    @Field(key: "deeds_target") var deedsTarget: Int
    @Field(key: "deeds_tolerance_pct") var deedsTolerancePercent: Int
    @Field(key: "deeds_min_pct") var deedsMinimumPercent: Int
    @Field(key: "deeds_max_pct") var deedsMaximumPercent: Int
    @Field(key: "member_worker_exclusive") var memberWorkerExclusive: Bool
    @Field(key: "require_scan") var requireScan: Bool
    /// Every user, not only administrators, signs in with a second factor while this is on.
    @Field(key: "require_second_factor") var requireSecondFactor: Bool
    /// The year's 轮值常务理事单位 (2024: 市个私党委), named on the decision and copied to next year's.
    @Field(key: "rotating_unit") var rotatingUnit: String
    /// Set when the administrator closes the campaign after its decision: from then on it is read-only.
    @OptionalField(key: "closed_at") var closedAt: Date?

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $title, $documentNumber, $awardYear, $issuedOn, $deadlineOn, $contactUnit, $contactPerson,
         $contactPhone, $contactEmail, $deedsTarget, $deedsTolerancePercent, $deedsMinimumPercent,
         $deedsMaximumPercent, $memberWorkerExclusive, $requireScan, $requireSecondFactor, $rotatingUnit, $closedAt]
    }

    init() {}

    /// A new campaign with every field of `source`: the start of next year's campaign.
    init(copying source: Campaign) {
        version = 1
        title = source.title
        documentNumber = source.documentNumber
        awardYear = source.awardYear
        issuedOn = source.issuedOn
        deadlineOn = source.deadlineOn
        contactUnit = source.contactUnit
        contactPerson = source.contactPerson
        contactPhone = source.contactPhone
        contactEmail = source.contactEmail
        settings = source.settings
        requireSecondFactor = source.requireSecondFactor
        rotatingUnit = source.rotatingUnit
    }

    /// Refuses any change to a closed campaign: it is read-only for everyone and stays searchable.
    func requireNotClosed() throws {
        guard closedAt == nil else {
            throw ExplainedRefusal(status: .conflict, title: "推荐活动已归档",
                                   message: "本次推荐活动已结束并归档，所有记录只读，不能再修改。")
        }
    }

    var days: CampaignDays { CampaignDays(issuedOn: issuedOn, deadlineOn: deadlineOn, awardYear: awardYear, closedAt: closedAt) }
    var header: CampaignHeader {
        get throws { CampaignHeader(id: try requireID(), title: title, documentNumber: documentNumber, days: days) }
    }
    var issued: DayStamp { days.issued }
    var deadline: DayStamp { days.deadline }

    /// Whom a committee asks (an extension, a question), as pages say it.
    var contactLine: String { "联盟联系人：\(contactUnit) \(contactPerson)，电话 \(contactPhone)。" }

    /// Takes entries: issued, before its deadline, and not closed.
    func isOpen(at now: Date) -> Bool { days.isOpen(at: now) }

    var settings: CampaignSettings {
        get {
            CampaignSettings(deedsTarget: deedsTarget, deedsTolerancePercent: deedsTolerancePercent,
                             deedsMinimumPercent: deedsMinimumPercent, deedsMaximumPercent: deedsMaximumPercent,
                             memberWorkerExclusive: memberWorkerExclusive, requireScan: requireScan)
        }
        set {
            deedsTarget = newValue.deedsTarget
            deedsTolerancePercent = newValue.deedsTolerancePercent
            deedsMinimumPercent = newValue.deedsMinimumPercent
            deedsMaximumPercent = newValue.deedsMaximumPercent
            memberWorkerExclusive = newValue.memberWorkerExclusive
            requireScan = newValue.requireScan
        }
    }
}
