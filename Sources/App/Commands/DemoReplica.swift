import Fluent
import FluentPostgresDriver
import SQLKit
import Foundation
import HonorsCore
import Vapor

/// The rows `honors demo` adds past the ones it plays (`DemoCommand.played`), so that 100 000 nominations
/// take seconds, not hours. Each is a new nominee (its own form, checked by the notice's rules, sealed and
/// fingerprinted as any entry is) of its own committee, whose way through the workflow is a copy of a played
/// nomination's with the same category and target state: the template's state, dates, scan record (the
/// same stored image, whose QR code names the template), 纪检 replies, reviewers' notes and decision, and its
/// history after its creation, on the audit trail under the replica's number, label and committee. Rows are
/// written many to a statement (on PostgreSQL a COPY); notifications of the template are not repeated.
struct DemoReplica {
    /// A played nomination and everything its way through the workflow left behind.
    struct Template: Sendable {
        let row: Nomination
        let scan: NominationScan?
        let replies: [IntegrityReply]
        let reviews: [NominationReview]
        /// Its audit events after `nomination.create`, in the chain's order.
        let events: [AuditEvent]
        /// Whether each event names one of its fingerprints, which a replica's copy replaces with its own.
        let namesFingerprint: [Bool]

        init(row: Nomination, scan: NominationScan?, replies: [IntegrityReply], reviews: [NominationReview], events: [AuditEvent]) {
            self.row = row
            self.scan = scan
            self.replies = replies
            self.reviews = reviews
            self.events = events
            namesFingerprint = events.map { event in
                [row.dataFingerprint, row.scanFingerprint].contains { $0.map(event.changes.contains) == true }
            }
        }

        static func load(_ id: Int, on db: any Database) async throws -> Template {
            guard let row = try await Nomination.find(id, on: db) else { throw Abort(.internalServerError, reason: "template \(id) is gone") }
            return Template(
                row: row,
                scan: try await row.scanID.asyncMap { try await NominationScan.find($0, on: db) } ?? nil,
                replies: try await IntegrityReply.query(on: db).filter(\.$nomination.$id == id).sort(\.$id).all(),
                reviews: try await NominationReview.query(on: db).filter(\.$nomination.$id == id).sort(\.$id).all(),
                events: try await AuditEvent.query(on: db).filter(\.$objectType == "nomination").filter(\.$objectID == "\(id)")
                    .filter(\.$action != "nomination.create").sort(\.$seq).all())
        }
    }

    /// One replica to write: the new nominee's columns, whose committee it is, and whose way it copies.
    struct Row: Sendable {
        let prepared: NominationService.Prepared
        let operatorUser: CurrentUser
        let template: Template
    }

    /// A replica built ahead of its write (`build`): everything but the numbers it is given when written.
    struct Built: Sendable {
        let nomination: Nomination
        let scan: NominationScan?
        let replies: [IntegrityReply]
        let reviews: [NominationReview]
        /// Its creation, then the template's history as the replica's.
        let events: [AuditEvent]
        let personHashes: Set<String>
    }

    /// Builds the replicas' rows and events, no database needed: done while the batch before is written.
    static func build(_ rows: [Row], campaign: Campaign, now: Date) throws -> [Built] {
        let campaignID = try campaign.requireID()
        return try rows.map { row in
            let template = row.template, source = template.row
            let nomination = Nomination()
            nomination.$campaign.id = campaignID
            nomination.$committee.id = row.operatorUser.committeeID ?? 0
            nomination.category = source.category
            nomination.photoFile = source.photoFile
            nomination.createdAt = now
            nomination.updatedAt = now
            let created = row.prepared.write(into: nomination)
            copyWorkflow(from: source, to: nomination)
            var scan: NominationScan?
            if let templateScan = template.scan {
                // A scan of the data as it is, or (the template's was stale) of data since changed.
                let fingerprint = source.scanFingerprint == source.dataFingerprint ? nomination.dataFingerprint : source.scanFingerprint
                nomination.scanFingerprint = fingerprint
                scan = copy(templateScan, fingerprint: fingerprint ?? templateScan.fingerprint)
            }
            let actor = DemoCommand.actor(row.operatorUser)
            var events = [try Audit.event(actor: actor, action: "nomination.create", objectType: "nomination", objectID: nil,
                                          objectLabel: nomination.displayName, committeeID: nomination.$committee.id,
                                          changes: created + (source.photoFile.map { [FieldChange("photo", old: nil, new: $0)] } ?? []),
                                          at: now)]
            // The template's fingerprints in its history are the replica's in this one.
            let fingerprints = [(source.dataFingerprint, nomination.dataFingerprint), (source.scanFingerprint, nomination.scanFingerprint)]
            events += zip(template.events, template.namesFingerprint).map { event, names in
                copy(event, label: nomination.displayName, committee: nomination.$committee.id,
                     committeeActor: event.actorRole == Role.committee.rawValue ? actor : nil,
                     fingerprints: names ? fingerprints : [], at: now)
            }
            return Built(nomination: nomination, scan: scan, replies: template.replies.map(copy),
                         reviews: template.reviews.map(copy), events: events, personHashes: row.prepared.personHashes)
        }
    }

    /// Builds and writes `rows` inside the caller's write and returns how many it wrote.
    static func write(_ rows: [Row], campaign: Campaign, now: Date, on db: any Database) async throws -> Int {
        try await write(Ready(try build(rows, campaign: campaign, now: now)), campaignID: try campaign.requireID(), on: db)
    }

    /// Built replicas as their write takes them. On PostgreSQL they are numbered ahead (sequences do not roll
    /// back, so a number taken outside the write is as good as one taken inside), which lets their rows' COPY
    /// text and their events' hashing input be made while the batch before is written (`prepare`). SQLite
    /// numbers inside the write, from the largest number in use.
    struct Ready: Sendable {
        let replicas: [Built]
        let text: Text?

        struct Text: Sendable {
            let nominations: PostgresCopy.Rows, scans: PostgresCopy.Rows, replies: PostgresCopy.Rows, reviews: PostgresCopy.Rows
            let events: AuditChain.Prepared
        }

        init(_ replicas: [Built], text: Text? = nil) {
            self.replicas = replicas
            self.text = text
        }
    }

    /// On PostgreSQL numbers `replicas` and makes their text; elsewhere leaves them to their write.
    static func prepare(_ replicas: [Built], on db: any Database) async throws -> Ready {
        guard db is any PostgresDatabase else { return Ready(replicas) }
        try await number(replicas, on: db)
        return Ready(replicas, text: .init(
            nominations: try PostgresCopy.Rows(replicas.map(\.nomination), ids: true),
            scans: try PostgresCopy.Rows(replicas.compactMap(\.scan), ids: true),
            replies: try PostgresCopy.Rows(replicas.flatMap(\.replies), ids: false),
            reviews: try PostgresCopy.Rows(replicas.flatMap(\.reviews), ids: false),
            events: try AuditChain.Prepared(replicas.flatMap(\.events), copy: true)))
    }

    /// Gives each replica its number, its scan's number, and both to the rows and events that point to them.
    private static func number(_ replicas: [Built], on db: any Database) async throws {
        let ids = try await db.reserveIDs(in: Nomination.schema, count: replicas.count)
        var scanIDs = try await db.reserveIDs(in: NominationScan.schema, count: replicas.filter { $0.scan != nil }.count).makeIterator()
        for (replica, id) in zip(replicas, ids) {
            replica.nomination.id = id
            if let scan = replica.scan, let scanID = scanIDs.next() {
                scan.id = scanID
                scan.$nomination.id = id
                replica.nomination.scanID = scanID
            }
            for reply in replica.replies { reply.$nomination.id = id }
            for review in replica.reviews { review.$nomination.id = id }
            for event in replica.events { event.objectID = "\(id)" }
        }
    }

    /// Writes replicas inside the caller's write and returns how many it wrote: one whose person the campaign
    /// already holds (an earlier `honors demo` into the same campaign) is left out, as the duplicate rule would.
    static func write(_ ready: Ready, campaignID: Int, on db: any Database) async throws -> Int {
        let replicas = ready.replicas
        // Thousands of rows a batch: the log is copied into the file in fewer, larger steps.
        if db.isSQLite { try await (db as! any SQLDatabase).raw("PRAGMA wal_autocheckpoint = 16000").run() }
        let hashes = replicas.flatMap(\.personHashes)
        let held = hashes.isEmpty ? [] : Set(try await Nomination.query(on: db).filter(\.$campaign.$id == campaignID)
            .filter(\.$idHash ~~ hashes).filter(\.$state != NominationState.withdrawn.rawValue)  // the rule's index
            .field(\.$idHash).all().compactMap(\.idHash))
        let fresh = replicas.filter { $0.personHashes.isDisjoint(with: held) }
        guard !fresh.isEmpty else { return 0 }

        // Nominations first: scans, replies and reviews point to them (and a nomination to its scan, by number).
        if let text = ready.text, let postgres = db as? any PostgresDatabase, fresh.count == replicas.count {
            for rows in [text.nominations, text.scans, text.replies, text.reviews] {
                try await rows.send(on: postgres, logger: db.logger)
            }
            try await AuditChain.append(text.events, on: db)
            return fresh.count
        }
        // Numbered now (SQLite), or some were left out after all: written from the models.
        if ready.text == nil { try await number(fresh, on: db) }
        try await db.insertRows(fresh.map(\.nomination), ids: true)
        try await db.insertRows(fresh.compactMap(\.scan), ids: true)
        try await db.insertRows(fresh.flatMap(\.replies))
        try await db.insertRows(fresh.flatMap(\.reviews))
        try await AuditChain.append(fresh.flatMap(\.events), on: db)
        return fresh.count
    }

    /// The columns the workflow writes, as the template's way left them.
    private static func copyWorkflow(from source: Nomination, to row: Nomination) {
        row.version = source.version
        row.state = source.state
        row.submittedAt = source.submittedAt
        row.submittedBy = source.submittedBy
        row.fixBy = source.fixBy
        row.fixUntil = source.fixUntil
        row.decisionReason = source.decisionReason
        row.decidedAt = source.decidedAt
        row.decidedBy = source.decidedBy
        row.allianceOpinion = source.allianceOpinion
        row.allianceOpinionDate = source.allianceOpinionDate
        row.integrityResult = source.integrityResult
        row.deedsSummary = source.deedsSummary
    }

    private static func copy(_ scan: NominationScan, fingerprint: String) -> NominationScan {
        let new = NominationScan()
        new.files = scan.files
        new.pages = scan.pages
        new.bytes = scan.bytes
        new.printedVersion = scan.printedVersion
        new.fingerprint = fingerprint
        new.matched = scan.matched
        new.uploadedBy = scan.uploadedBy
        new.uploadedAt = scan.uploadedAt
        return new
    }

    private static func copy(_ reply: IntegrityReply) -> IntegrityReply {
        let new = IntegrityReply()
        new.result = reply.result
        new.note = reply.note
        new.replyDate = reply.replyDate
        new.scanFile = reply.scanFile
        new.recordedBy = reply.recordedBy
        new.recordedAt = reply.recordedAt
        return new
    }

    private static func copy(_ review: NominationReview) -> NominationReview {
        let new = NominationReview()
        new.reviewerID = review.reviewerID
        new.reviewerName = review.reviewerName
        new.recommendation = review.recommendation
        new.note = review.note
        new.updatedAt = review.updatedAt
        return new
    }

    private static func copy(_ event: AuditEvent, label: String, committee: Int, committeeActor: Actor?,
                             fingerprints: [(String?, String?)], at now: Date) -> AuditEvent {
        let new = AuditEvent()
        new.occurredAt = AuditChain.toMillisecond(now)
        new.actorID = committeeActor?.userID ?? event.actorID
        new.actorName = committeeActor?.name ?? event.actorName
        new.actorRole = event.actorRole
        new.action = event.action
        new.objectType = event.objectType
        new.objectLabel = label
        new.committeeID = event.committeeID == nil ? nil : committee
        var changes = event.changes
        for case let (old?, new?) in fingerprints where old != new { changes = changes.replacing(old, with: new) }
        new.changes = changes
        new.address = event.address
        return new
    }
}
