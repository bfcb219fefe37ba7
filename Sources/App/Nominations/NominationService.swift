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

    init(app: Application, db: any Database, user: CurrentUser, actor: Actor, now: Date) {
        self.app = app
        self.db = db
        self.user = user
        self.actor = actor
        self.now = now
    }

    init(req: Request) throws {
        self.init(app: req.application, db: req.db, user: try req.requireUser(), actor: req.actor, now: req.now)
    }

    var transitions: NominationTransitions { NominationTransitions(app: app, user: user, actor: actor, now: now) }

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
        if let conflict = try await duplicateMessage(result, category: input.category, campaign: campaign, excluding: id) {
            result.issues.append(.error("id_number", conflict))
        }
        return result
    }

    private func duplicateMessage(_ result: NominationCheck, category: NominationCategory, campaign: Campaign,
                                  excluding id: Int?) async throws -> String? {
        guard let number = result.cleaned["id_number"], !number.isEmpty, result.issues.on("id_number").isEmpty,
              let other = try await holder(ofIDNumber: number, campaignID: try campaign.requireID(),
                                           scope: Self.personScope(category, settings: campaign.settings), excluding: id)
        else { return nil }
        return Self.duplicateText(category: other.categoryValue, sameCommittee: other.$committee.id == user.committeeID,
                                  exclusive: campaign.memberWorkerExclusive)
    }

    /// The duplicate rule's scope of a nomination: the whole campaign when 优秀共产党员 and 优秀党务工作者
    /// are not to overlap (the notice's "不交叉重复"), otherwise its category. Stored as `person_scope`, so
    /// the unique index decides two saves racing under either setting.
    static func personScope(_ category: NominationCategory, settings: CampaignSettings) -> String {
        settings.memberWorkerExclusive ? "" : category.rawValue
    }

    /// The nomination (not withdrawn) that already holds this person in the campaign and scope, if any.
    func holder(ofIDNumber number: String, campaignID: Int, scope: String, excluding id: Int? = nil) async throws -> Nomination? {
        var query = Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$idHash ~~ app.secrets.keyedHashes(number)).filter(\.$personScope == scope)
            .filter(\.$state != NominationState.withdrawn.rawValue)
        if let id { query = query.filter(\.$id != id) }
        return try await query.first()
    }

    /// Names the conflict, never the other committee's record.
    static func duplicateText(category: NominationCategory, sameCommittee: Bool, exclusive: Bool) -> String {
        let who = sameCommittee ? "本党委" : "其他行业党委"
        let rule = exclusive ? "同一人在一次活动中只能推荐一次，优秀共产党员和优秀党务工作者的推荐不交叉重复。"
                             : "同一人在一次活动中每个类别只能推荐一次。"
        return "此身份证号码的人员已在本次活动中由\(who)推荐为\(category.label)。" + rule
    }

    // MARK: Fingerprint and scan

    /// The fingerprint of the form as it would print now: the stored one, or taken from the data for a row
    /// saved before fingerprints were kept.
    static func fingerprint(of nomination: Nomination, secrets: SecretBox) throws -> String {
        if let stored = nomination.dataFingerprint { return stored }
        let values = nomination.values.merging(try personalData(of: nomination, secrets: secrets)) { $1 }
        return FormFingerprint.of(category: nomination.categoryValue, values: values, photo: nomination.photoFile,
                                  salt: nomination.fingerprintSalt)
    }

    func fingerprint(of nomination: Nomination) throws -> String {
        try Self.fingerprint(of: nomination, secrets: app.secrets)
    }

    /// What stands between a nomination and 上报, by the field it belongs to (`form`, `scan`): the rules'
    /// result, and the scan when the campaign asks for one. The page lists it; 上报 is refused with it.
    static func submitProblems(_ result: NominationCheck, scan: ScanState, campaign: Campaign) -> [String: String] {
        var problems: [String: String] = [:]
        if !result.isComplete { problems["form"] = "推荐材料还不完整或有错误，请先修改后再上报（见页面上方的清单）。" }
        if campaign.requireScan {
            switch scan {
            case .current: break
            case .none: problems["scan"] = "请先上传签字盖章后的审批表扫描件，再上报。"
            case .stale: problems["scan"] = "盖章扫描件与当前数据不一致（上传后材料又有修改），请重新打印、签字盖章并上传扫描件后再上报。"
            }
        }
        return problems
    }

    // MARK: Saving

    enum SaveResult {
        case saved(Int, NominationCheck)
        case stale(NominationCheck)
    }

    /// Creates (`existing == nil`) or updates a draft. Drafts are saved even when incomplete or with format
    /// problems, so nothing typed is lost; the problems come back with the page. An update passes through
    /// `NominationTransitions.apply(.save)`: the workflow decides whether the nomination may still change.
    func save(_ input: NominationInput, campaign: Campaign, existing: Nomination?, expectedVersion: Int?,
              creationKey: CreationKey? = nil) async throws -> SaveResult {
        // The same form sent again (a retry after a lost answer): what the first send made, not a second one.
        if existing == nil, let creationKey, let made = try await created(by: creationKey) {
            return .saved(made, NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: now))
        }
        let prepared: Prepared
        do {
            prepared = try await prepare(input, campaign: campaign, existing: existing)
        } catch let refusal as DuplicatePerson {
            // The first send of this form committed a moment ago: the person is "taken" by that very nomination.
            if existing == nil, let creationKey, let made = try await created(by: creationKey) { return .saved(made, refusal.check) }
            throw refusal
        }
        do {
            if let existing {
                let id = try existing.requireID()
                try await transitions.apply(.save, to: id, expectedVersion: expectedVersion ?? existing.version) { step in
                    .init(changes: prepared.write(into: step.nomination))
                }
                return .saved(id, prepared.result)
            }
            let id = try await app.write(on: db) { db in
                try await self.insert(prepared, campaign: campaign, creationKey: creationKey, on: db).requireID()
            }
            return .saved(id, prepared.result)
        } catch TransitionError.stale {
            return .stale(prepared.result)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two sends of one form racing: the unique key let one in, the other finds it.
            if existing == nil, let creationKey, let made = try await created(by: creationKey) { return .saved(made, prepared.result) }
            // Another committee saved the same person a moment ago: the unique index decided.
            var refused = prepared.result
            refused.issues.append(.error("id_number", Self.duplicateText(category: input.category, sameCommittee: false,
                                                                         exclusive: campaign.memberWorkerExclusive)))
            throw DuplicatePerson(check: refused)
        }
    }

    /// A nomination's columns as a save writes them: checked, cleaned, ID number and phone sealed, the
    /// attestations stamped, the fingerprint taken, the changes listed for the audit.
    struct Prepared: Sendable {
        let result: NominationCheck
        let category: NominationCategory
        let data: String
        let displayName: String
        let idNumberSealed: String?
        let idHash: String?
        /// The ID number's hash under every key of the ring: the same person, whichever key hashed the row.
        let personHashes: Set<String>
        let phoneSealed: String?
        let secretKeyID: String?
        let attestations: String
        let personScope: String
        let changes: [FieldChange]

        /// Writes the columns into the row as it is inside the write, and returns the changes for the audit.
        /// The fingerprint is taken with the row's photo; a 纪检 reply was given on one nominee, so it no
        /// longer stands once the person (ID number) or the organisation (name) is another.
        @discardableResult
        func write(into row: Nomination) -> [FieldChange] {
            var changes = self.changes
            let samePerson = row.idHash == idHash || row.idHash.map(personHashes.contains) == true
            if row.integrityResult != nil, !samePerson || row.displayName != displayName {
                changes.append(FieldChange("integrity_result", old: row.integrityResult, new: nil))
                row.integrityResult = nil
            }
            row.data = data
            row.displayName = displayName
            row.idNumberSealed = idNumberSealed
            row.idHash = idHash
            row.phoneSealed = phoneSealed
            row.secretKeyID = secretKeyID
            row.attestations = attestations
            row.refingerprint(values: result.cleaned)
            row.personScope = personScope
            return changes
        }
    }

    /// Checks `input` by the notice's rules and the duplicate rule (a person already nominated is refused
    /// with `DuplicatePerson`; nothing is stored) and prepares the columns.
    func prepare(_ input: NominationInput, campaign: Campaign, existing: Nomination?) async throws -> Prepared {
        let result = NominationRules.check(input, settings: campaign.settings, deadline: campaign.deadline.end, today: now)
        if let conflict = try await duplicateMessage(result, category: input.category, campaign: campaign, excluding: existing?.id) {
            var refused = result
            refused.issues.append(.error("id_number", conflict))
            throw DuplicatePerson(check: refused)
        }
        return try columns(result, input: input, campaign: campaign, existing: existing)
    }

    /// The columns of `input` already checked (`result`): sealed, hashed and fingerprinted, no database read.
    /// `prepare` is the way for anyone's entry; `honors demo` calls this directly for rows it replicates, whose
    /// ID numbers it checks a batch at a time (`DemoReplica`).
    func columns(_ result: NominationCheck, input: NominationInput, campaign: Campaign, existing: Nomination?) throws -> Prepared {
        var values = result.cleaned
        let idNumber = values.removeValue(forKey: "id_number") ?? ""
        let phone = values.removeValue(forKey: "phone") ?? ""
        let idValid = !idNumber.isEmpty && result.issues.on("id_number").isEmpty
        var records = existing?.attestationRecords ?? [:]
        for key in NominationForm.attestations.map(\.key) {
            if input.attestations.contains(key) {
                if records[key] == nil { records[key] = .init(by: user.username, at: now) }
            } else {
                records[key] = nil
            }
        }
        let oldValues = try existing.map(storedInput)?.values ?? [:]
        // One reading of the ring: the values are sealed and hashed by the same key.
        let secrets = app.secrets
        return Prepared(
            result: result, category: input.category, data: Nomination.encoded(values),
            displayName: String((values[input.category.isPerson ? "name" : "org_name"].flatMap { $0.isEmpty ? nil : $0 }
                                 ?? "（未填写名称）").prefix(100)),
            idNumberSealed: idNumber.isEmpty ? nil : try secrets.seal(idNumber),
            idHash: idValid ? secrets.keyedHash(idNumber) : nil,
            personHashes: idValid ? Set(secrets.keyedHashes(idNumber)) : [],
            phoneSealed: phone.isEmpty ? nil : try secrets.seal(phone),
            secretKeyID: idNumber.isEmpty && phone.isEmpty ? nil : secrets.keyID,
            attestations: Nomination.encodedAttestations(records),
            personScope: Self.personScope(input.category, settings: campaign.settings),
            changes: Self.changes(old: oldValues, new: result.cleaned))
    }

    /// The nomination this committee created with `key`, if any: another committee's key finds nothing.
    func created(by key: CreationKey) async throws -> Int? {
        try await Nomination.query(on: db).filter(\.$creationKey == key.value).filter(\.$committee.$id == (user.committeeID ?? 0))
            .field(\.$id).first()?.id
    }

    /// Creates the draft of this user's committee with its audit event, inside the caller's write; returns
    /// the new row (its id and the fingerprint its form prints).
    @discardableResult
    func insert(_ prepared: Prepared, campaign: Campaign, photo: String? = nil, creationKey: CreationKey? = nil,
                on db: any Database) async throws -> Nomination {
        let nomination = Nomination()
        nomination.creationKey = creationKey?.value
        nomination.version = 1
        nomination.$campaign.id = try campaign.requireID()
        nomination.$committee.id = user.committeeID ?? 0
        nomination.category = prepared.category.rawValue
        nomination.state = NominationState.draft.rawValue
        nomination.photoFile = photo
        var changes = prepared.write(into: nomination)
        if let photo { changes.append(FieldChange("photo", old: nil, new: photo)) }
        try await nomination.create(on: db)
        let id = try nomination.requireID()
        try await Audit.record(on: db, actor: actor, action: "nomination.create", objectType: "nomination",
                               objectID: "\(id)", objectLabel: prepared.displayName, committeeID: user.committeeID,
                               changes: changes, at: now)
        return nomination
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
