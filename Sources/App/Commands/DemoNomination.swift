import Fluent
import Foundation
import HonorsCore
import HonorsOffice
import Vapor

/// One demo nomination and the steps it goes through to reach its target state, each by the person whose
/// step it is: the committee's operator enters, uploads the scan and submits; the reviewer records the 纪检
/// reply and a recommendation; the administrator returns, approves or rejects.
struct DemoNomination: Sendable {
    enum Target: Sendable {
        case draft, withdrawn, submitted, returned, staleAfterReturn, approved, rejected

        /// Twenty nominations in a row go this way, so every page has each state to show.
        static let pattern: [Target] = [.draft, .submitted, .approved, .draft, .approved, .withdrawn, .returned,
                                        .submitted, .approved, .rejected, .draft, .submitted, .approved, .staleAfterReturn,
                                        .approved, .submitted, .rejected, .approved, .draft, .approved]

        static func of(_ index: Int) -> Target { pattern[index % pattern.count] }

        var occupiesSlot: Bool { [.submitted, .returned, .staleAfterReturn, .approved].contains(self) }

    }

    let prepared: NominationService.Prepared
    let target: Target
    let operatorUser: CurrentUser
    let photo: String?

    /// Plays the steps and returns the nomination's id.
    @discardableResult
    func play(app: Application, campaign: Campaign, reviewer: CurrentUser, admin: CurrentUser, on db: any Database) async throws -> Int {
        let now = app.clock.now()
        func transitions(_ user: CurrentUser) -> NominationTransitions {
            NominationTransitions(app: app, user: user, actor: DemoCommand.actor(user), now: now)
        }
        let service = NominationService(app: app, db: db, user: operatorUser, actor: DemoCommand.actor(operatorUser), now: now)
        let inserted = try await service.insert(prepared, campaign: campaign, photo: photo, on: db)
        let id = try inserted.requireID()
        let committee = transitions(operatorUser)
        switch target {
        case .draft: return id
        case .withdrawn:
            try await committee.withdraw(id, expectedVersion: 1, in: db)
            return id
        default: break
        }

        // Printed, signed, stamped and scanned: the scan carries the form's QR code.
        // The fingerprint the form prints: the row's, salted as it was saved.
        guard let fingerprint = inserted.dataFingerprint else { throw Abort(.internalServerError, reason: "nomination \(id) has no fingerprint") }
        let code = ScanCode(nominationID: id, version: 1, fingerprint: fingerprint)
        let image = QRCode.encode(code.text)?.png(scale: 8) ?? DemoCommand.photo
        let stored = try UploadStore(app: app, kind: .scan).store(image, extension: "png")
        try await committee.attachScan(id, expectedVersion: 1, .init(
            files: [ScanFile(stored: stored, original: "审批表扫描件.png", pages: 1)], pages: 1, bytes: image.count,
            printedVersion: 1, fingerprint: fingerprint, matched: "qr"), in: db)
        try await committee.submit(id, expectedVersion: 2, in: db)

        let review = transitions(reviewer)
        let today = DayStamp(now)
        switch target {
        case .approved:
            try await review.recordIntegrity(id, .init(result: .clear, note: "", replyDate: today, scanFile: nil), in: db)
            try await review.recordReview(id, recommendation: .recommend, note: "事迹突出，材料齐全。", in: db)
        case .rejected:
            try await review.recordIntegrity(id, .init(result: .unsuitable, note: "近三年有被通报批评的情况。", replyDate: today, scanFile: nil), in: db)
            try await review.recordReview(id, recommendation: .against, note: "纪检部门答复不宜推荐。", in: db)
        case .submitted:
            if id % 2 == 0 { try await review.recordReview(id, recommendation: .undecided, note: "待纪检答复后再议。", in: db) }
        default: break
        }

        let alliance = transitions(admin)
        switch target {
        case .approved:
            try await alliance.approve(id, expectedVersion: 3, .init(opinion: "同意表彰。", date: today.description), in: db)
        case .rejected:
            try await alliance.reject(id, expectedVersion: 3, reason: "纪检部门答复不宜推荐。", in: db)
        case .returned, .staleAfterReturn:
            let fixBy = try await WorkingCalendar.load(on: db).adding(workingDays: 3, to: today)
            try await alliance.sendBack(id, expectedVersion: 3, .init(reason: "主要事迹中缺少具体数据，请补充后重新上报。", fixBy: fixBy), in: db)
            if target == .staleAfterReturn {
                // The committee edits after the return: its scan no longer matches the data.
                guard let row = try await Nomination.find(id, on: db) else { return id }
                var values = try service.storedInput(row).values
                values["deeds"] = (values["deeds"] ?? "") + "补充：近三年累计服务群众三千余人次。"
                let input = NominationInput(category: prepared.category, values: values,
                                            attestations: Set(row.attestationRecords.keys), hasPhoto: row.photoFile != nil)
                let edit = try await service.prepare(input, campaign: campaign, existing: row)
                try await committee.apply(.save, to: id, expectedVersion: 4, in: db) { step in
                    .init(changes: edit.write(into: step.nomination))
                }
            }
        default: break
        }
        return id
    }
}
