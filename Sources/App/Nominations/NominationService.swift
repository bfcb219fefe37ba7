import Fluent
import Foundation
import HonorsCore
import SQLKit
import Vapor

/// Saving, submitting and withdrawing nominations: the checks of `NominationRules`, the duplicate rule,
/// quotas and versions, each change in one write with its audit line.
struct NominationService {
    let app: Application
    let db: any Database
    let user: CurrentUser
    let actor: Actor
    let now: Date

    init(req: Request) throws {
        app = req.application
        db = req.db
        user = try req.requireUser()
        actor = req.actor
        now = req.now
    }

    static let sensitiveKeys: Set<String> = ["id_number", "phone"]

    // MARK: Checking

    /// ID number and phone of a nomination, decrypted, by field key (only those that are stored).
    static func personalData(of nomination: Nomination, secrets: SecretBox) throws -> [String: String] {
        try personalData(idNumberSealed: nomination.idNumberSealed, phoneSealed: nomination.phoneSealed, secrets: secrets)
    }

    /// The same from the two sealed columns, for readers that fetch columns rather than models.
    static func personalData(idNumberSealed: String?, phoneSealed: String?, secrets: SecretBox) throws -> [String: String] {
        var values: [String: String] = [:]
        if let sealed = idNumberSealed { values["id_number"] = try secrets.open(sealed) }
        if let sealed = phoneSealed { values["phone"] = try secrets.open(sealed) }
        return values
    }

    /// An ID number or phone as pages show it: `150602********1234`, `186****6667`.
    static func masked(_ key: String, _ value: String) -> String {
        guard !value.isEmpty else { return value }
        return key == "id_number" ? IDNumber.mask(value) : ((try? PhoneNumber(value).masked) ?? "****")
    }

    /// The stored values of a nomination, with ID number and phone decrypted, as a form would send them.
    func storedInput(_ nomination: Nomination) throws -> NominationInput {
        let values = nomination.values.merging(try Self.personalData(of: nomination, secrets: app.secrets)) { $1 }
        return NominationInput(category: nomination.categoryValue, values: values,
                               attestations: Set(nomination.attestationRecords.keys),
                               hasPhoto: nomination.photoFile != nil)
    }

    /// Runs the notice's rules and the duplicate rule. `excluding` is the nomination being edited.
    func check(_ input: NominationInput, campaign: Campaign, excluding id: Int?) async throws -> NominationCheck {
        var result = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: now)
        if let conflict = try await duplicateMessage(result, campaignID: try campaign.requireID(), excluding: id) {
            result.issues.append(.error("id_number", conflict))
        }
        return result
    }

    private func duplicateMessage(_ result: NominationCheck, campaignID: Int, excluding id: Int?) async throws -> String? {
        guard let number = result.cleaned["id_number"], !number.isEmpty, result.issues.on("id_number").isEmpty,
              let other = try await holder(ofIDNumber: number, campaignID: campaignID, excluding: id) else { return nil }
        return Self.duplicateText(category: other.categoryValue, sameCommittee: other.$committee.id == user.committeeID)
    }

    /// The nomination (not withdrawn) that already holds this person in the campaign, if any.
    func holder(ofIDNumber number: String, campaignID: Int, excluding id: Int? = nil) async throws -> Nomination? {
        var query = Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$idHash == app.secrets.keyedHash(number))
            .filter(\.$state != NominationState.withdrawn.rawValue)
        if let id { query = query.filter(\.$id != id) }
        return try await query.first()
    }

    /// Names the conflict, never the other committee's record.
    static func duplicateText(category: NominationCategory, sameCommittee: Bool) -> String {
        let who = sameCommittee ? "本党委" : "其他行业党委"
        return "此身份证号码的人员已在本次活动中由\(who)推荐为\(category.label)。同一人在一次活动中只能推荐一次，优秀共产党员和优秀党务工作者的推荐不交叉重复。"
    }

    // MARK: Saving

    enum SaveResult {
        case saved(Int, NominationCheck)
        case stale(NominationCheck)
    }

    /// Creates (`existing == nil`) or updates a draft. Drafts are saved even when incomplete or with format
    /// problems, so nothing typed is lost; the problems come back with the page.
    func save(_ input: NominationInput, campaign: Campaign, existing: Nomination?, expectedVersion: Int?) async throws -> SaveResult {
        let result = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: now)
        // A person already nominated in this campaign is refused outright: nothing is stored.
        if let conflict = try await duplicateMessage(result, campaignID: try campaign.requireID(), excluding: existing?.id) {
            var refused = result
            refused.issues.append(.error("id_number", conflict))
            throw DuplicatePerson(check: refused)
        }
        var values = result.cleaned
        let idNumber = values.removeValue(forKey: "id_number") ?? ""
        let phone = values.removeValue(forKey: "phone") ?? ""
        let idValid = !idNumber.isEmpty && result.issues.on("id_number").isEmpty
        let sealedID = idNumber.isEmpty ? nil : try app.secrets.seal(idNumber)
        let sealedPhone = phone.isEmpty ? nil : try app.secrets.seal(phone)
        let idHash = idValid ? app.secrets.keyedHash(idNumber) : nil
        let displayName = values[input.category.isPerson ? "name" : "org_name"].flatMap { $0.isEmpty ? nil : $0 } ?? "（未填写名称）"

        var records = existing?.attestationRecords ?? [:]
        for key in NominationForm.attestations.map(\.key) {
            if input.attestations.contains(key) {
                if records[key] == nil { records[key] = .init(by: user.username, at: now) }
            } else {
                records[key] = nil
            }
        }
        let oldValues = try existing.map(storedInput)?.values ?? [:]
        let changes = Self.changes(old: oldValues, new: result.cleaned)
        let actor = self.actor, now = self.now, user = self.user

        let nomination = existing ?? Nomination()
        if existing == nil {
            nomination.version = 0
            nomination.$campaign.id = try campaign.requireID()
            nomination.$committee.id = user.committeeID ?? 0
            nomination.category = input.category.rawValue
            nomination.state = NominationState.draft.rawValue
        }
        nomination.values = values
        nomination.displayName = String(displayName.prefix(100))
        nomination.idNumberSealed = sealedID
        nomination.idHash = idHash
        nomination.phoneSealed = sealedPhone
        nomination.attestationRecords = records
        let expected = expectedVersion ?? nomination.version
        nomination.version = expected + 1

        do {
            let savedID: Int? = try await app.write(on: db) { db in
                if existing == nil {
                    try await nomination.create(on: db)
                } else {
                    let id = try nomination.requireID()
                    guard try await db.claimVersion(of: Nomination.schema, id: id, expected: expected) else { return nil }
                    try await Nomination.query(on: db).filter(\.$id == id).set(\.$data, to: nomination.data)
                        .set(\.$displayName, to: nomination.displayName)
                        .set(\.$idNumberSealed, to: sealedID).set(\.$idHash, to: idHash)
                        .set(\.$phoneSealed, to: sealedPhone).set(\.$attestations, to: nomination.attestations)
                        .update()
                }
                let id = try nomination.requireID()
                try await Audit.record(on: db, actor: actor, action: existing == nil ? "nomination.create" : "nomination.update",
                                       objectType: "nomination", objectID: "\(id)", objectLabel: nomination.displayName,
                                       committeeID: user.committeeID, changes: changes, at: now)
                return id
            }
            guard let savedID else { return .stale(result) }
            return .saved(savedID, result)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another committee saved the same person a moment ago: the unique index decided.
            var refused = result
            refused.issues.append(.error("id_number", Self.duplicateText(category: input.category, sameCommittee: false)))
            throw DuplicatePerson(check: refused)
        }
    }

    struct DuplicatePerson: Error {
        let check: NominationCheck
    }

    /// Field-by-field changes for the audit trail; ID number and phone masked.
    static func changes(old: [String: String], new: [String: String]) -> [FieldChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            let before = old[key] ?? "", after = new[key] ?? ""
            guard before != after else { return nil }
            return FieldChange(key, old: before.isEmpty ? nil : before, new: after.isEmpty ? nil : after,
                               sensitive: sensitiveKeys.contains(key))
        }
    }
}
