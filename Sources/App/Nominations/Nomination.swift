import Fluent
import Foundation
import HonorsCore

/// One nominee (person or organisation) of one committee in one campaign.
///
/// The form's values live in `data` as a JSON object keyed by the field keys of fields.md, so the three forms
/// share one table and a new field needs no migration. ID number and phone are kept out of `data`: they are
/// stored encrypted, with a keyed hash of the ID number for the duplicate check.
final class Nomination: Model, @unchecked Sendable {
    static let schema = "nominations"

    // Managed
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // Data
    @Field(key: "category") var category: String
    @Field(key: "state") var state: String
    /// 姓名 or 党组织名称: listed and searched without opening `data`.
    @Field(key: "display_name") var displayName: String
    @Field(key: "data") var data: String
    @OptionalField(key: "id_number_enc") var idNumberSealed: String?
    @OptionalField(key: "id_hash") var idHash: String?
    /// Secret per nomination, in its form's fingerprint (`FormFingerprint`, version 2); nil: saved before it.
    @OptionalField(key: "fingerprint_salt") var fingerprintSalt: String?
    @OptionalField(key: "phone_enc") var phoneSealed: String?
    /// The ring's key that sealed the two values above and made `idHash`.
    @OptionalField(key: "secret_key_id") var secretKeyID: String?
    /// The new-nomination form's key: a repeated send finds this row (`CreationKey`).
    @OptionalField(key: "creation_key") var creationKey: String?
    /// JSON `{key: {"by": username, "at": ISO 8601}}` of the attestations ticked.
    @Field(key: "attestations") var attestations: String
    @OptionalField(key: "photo_file") var photoFile: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "submitted_by") var submittedBy: String?
    /// The duplicate rule's scope: "" (once per campaign) or the category (once per category).
    @Field(key: "person_scope") var personScope: String

    // Review
    /// `FormFingerprint` of the data as it would print now; nil until first saved after review began.
    @OptionalField(key: "data_fingerprint") var dataFingerprint: String?
    @OptionalField(key: "scan_id") var scanID: Int?
    /// The fingerprint the current scan was signed on: stale when it differs from `dataFingerprint`.
    @OptionalField(key: "scan_fingerprint") var scanFingerprint: String?
    /// 补正期限 of the latest return (YYYY-MM-DD) and the instant it ends.
    @OptionalField(key: "fix_by") var fixBy: String?
    @OptionalField(key: "fix_until") var fixUntil: Date?
    /// The reason of the latest return, rejection or revert.
    @OptionalField(key: "decision_reason") var decisionReason: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_by") var decidedBy: String?
    /// 市“两新”党建联盟意见 and its date, printed in the form's last block once approved.
    @OptionalField(key: "alliance_opinion") var allianceOpinion: String?
    @OptionalField(key: "alliance_opinion_date") var allianceOpinionDate: String?
    /// The latest 纪检 reply (`IntegrityResult`), nil while none was recorded.
    @OptionalField(key: "integrity_result") var integrityResult: String?
    /// `deeds_summary`: the alliance's summary of the deeds for the 公示 list, written at approval.
    @OptionalField(key: "deeds_summary") var deedsSummary: String?

    // Relations
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "committee_id") var committee: Committee

    /// Every property wrapper, listed: Fluent would otherwise find them by reflection for every query and every row
    /// (its costliest step). `ModelPropertiesTests` holds the list to what reflection finds.
    var properties: [any AnyProperty] {
        [$id, $version, $createdAt, $updatedAt, $category, $state, $displayName, $data, $idNumberSealed, $idHash,
         $fingerprintSalt, $phoneSealed, $secretKeyID, $creationKey, $attestations, $photoFile, $submittedAt,
         $submittedBy, $personScope, $dataFingerprint, $scanID, $scanFingerprint, $fixBy, $fixUntil, $decisionReason,
         $decidedAt, $decidedBy, $allianceOpinion, $allianceOpinionDate, $integrityResult, $deedsSummary, $campaign,
         $committee]
    }

    init() { personScope = "" }

    var categoryValue: NominationCategory { NominationCategory(rawValue: category) ?? .member }
    var stateValue: NominationState { NominationState(rawValue: state) ?? .draft }

    /// The alliance's latest step on it (return, approval, rejection, revert): who, when and why.
    func recordDecision(by username: String, at date: Date, reason: String?) {
        decidedBy = username
        decidedAt = date
        decisionReason = reason
    }

    /// The decision answered (by a new submission or a withdrawal): the page no longer shows it, the history
    /// keeps it.
    func clearDecision() {
        decidedBy = nil
        decidedAt = nil
        decisionReason = nil
        fixUntil = nil
    }
    var scanState: ScanState { ScanState(scanFingerprint: scanFingerprint, dataFingerprint: dataFingerprint) }
    var integrityValue: IntegrityResult? { integrityResult.flatMap(IntegrityResult.init(rawValue:)) }

    var values: [String: String] {
        get { Self.values(from: data) }
        set { data = Self.encoded(newValue) }
    }

    /// The `data` column read back, also for readers that fetch columns rather than models.
    static func values(from column: String) -> [String: String] {
        StringMapJSON.decode(column) ?? (try? JSONDecoder().decode([String: String].self, from: Data(column.utf8))) ?? [:]
    }

    /// The `data` column for `values`: sorted keys, so equal values store equal text.
    static func encoded(_ values: [String: String]) -> String {
        JSONText.object(values)
    }

    struct Attestation: Codable, Sendable, Equatable {
        var by: String
        var at: Date
    }

    var attestationRecords: [String: Attestation] {
        get { Self.attestationRecords(from: attestations) }
        set { attestations = Self.encodedAttestations(newValue) }
    }

    /// The `attestations` column for `records`.
    static func encodedAttestations(_ records: [String: Attestation]) -> String {
        String(decoding: (try? dateCoder.encoder.encode(records)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The `attestations` column read back.
    static func attestationRecords(from column: String) -> [String: Attestation] {
        (try? dateCoder.decoder.decode([String: Attestation].self, from: Data(column.utf8))) ?? [:]
    }

    /// Only which attestations are ticked, from the column: what lists and exports of many rows need, without
    /// building coders and parsing dates for each row.
    static func attestedKeys(from column: String) -> Set<String> {
        if let records = StringMapJSON.decodeNested(column) { return Set(records.keys) }
        return Set(attestationRecords(from: column).keys)
    }

    private static var dateCoder: (encoder: JSONEncoder, decoder: JSONDecoder) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (encoder, decoder)
    }
}

extension Nomination: RowWritable {
    static let columns = [
        "version", "created_at", "updated_at", "category", "state", "display_name", "data", "id_number_enc", "id_hash",
        "fingerprint_salt", "phone_enc", "secret_key_id", "creation_key", "attestations", "photo_file", "submitted_at",
        "submitted_by", "person_scope", "data_fingerprint", "scan_id", "scan_fingerprint", "fix_by", "fix_until",
        "decision_reason", "decided_at", "decided_by", "alliance_opinion", "alliance_opinion_date", "integrity_result",
        "deeds_summary", "campaign_id", "committee_id",
    ]

    var row: [any Encodable & Sendable] {
        [version, createdAt, updatedAt, category, state, displayName, data, idNumberSealed, idHash, fingerprintSalt,
         phoneSealed, secretKeyID, creationKey, attestations, photoFile, submittedAt, submittedBy, personScope,
         dataFingerprint, scanID, scanFingerprint, fixBy, fixUntil, decisionReason, decidedAt, decidedBy, allianceOpinion,
         allianceOpinionDate, integrityResult, deedsSummary, $campaign.id, $committee.id]
    }
}
