import Fluent
import Foundation
import HonorsCore
import Vapor

/// The end of a campaign for `honors demo`, so the public pages have something to show: one campaign whose
/// 公示 runs from today with an objection waiting to be checked, and last year's, closed, with its decision
/// and certificates (one nominee disqualified by an upheld objection). Every step is the administrator's
/// through `NominationTransitions`, on the audit trail; the objections are filed as the public page files them.
extension DemoCommand {
    static let publicityNumber = "演示〔公示〕1号"
    static let closedNumber = "演示〔往年〕1号"
    /// Nominations in each of the two campaigns, all approved.
    static let endNominations = 8

    func campaignEnd(_ app: Application, cast: Cast, data: inout DemoData, console: any Console) async throws {
        let today = DayStamp(app.clock.now())
        let calendar = try await WorkingCalendar.load(on: app.db)
        // A period reaching a year the holiday table does not have is never guessed: that campaign is left out.
        func fits(_ start: DayStamp) -> Bool {
            do { _ = try calendar.period(startingOn: start, workingDays: PublicityPlan.defaultWorkingDays); return true }
            catch {
                console.warning("未生成 \(start.year) 年前后的公示演示：节假日安排中没有所需年份（推荐活动 → 节假日安排）。")
                return false
            }
        }
        if fits(today), try await Campaign.query(on: app.db).filter(\.$documentNumber == Self.publicityNumber).first() == nil {
            let running = try await demoCampaign(app, committees: cast.committees, nominations: Self.endNominations,
                                                 documentNumber: Self.publicityNumber, titlePrefix: "（演示·公示中）",
                                                 target: { _ in .approved })
            try await addNominations(app, campaign: running, cast: cast, data: &data, count: Self.endNominations,
                                     target: { _ in .approved }, console: console)
            let ids = try await publicize(app, running, cast: cast, from: today, calendar: calendar)
            try await object(app, running, to: ids[0], from: "张建国", phone: "13947701234",
                             "反映该同志所在单位近期有一起安全生产事故，请核实其是否负有责任。")
            console.info("公示中：\(running.documentNumber)，公开页面 /public/campaigns/\(try running.requireID())")
        }
        if fits(today.adding(days: -30)), try await Campaign.query(on: app.db).filter(\.$documentNumber == Self.closedNumber).first() == nil {
            let past = try await demoCampaign(app, committees: cast.committees, nominations: Self.endNominations,
                                              documentNumber: Self.closedNumber, titlePrefix: "（演示·往年）", yearsBack: 1,
                                              target: { _ in .approved })
            try await addNominations(app, campaign: past, cast: cast, data: &data, count: Self.endNominations,
                                     target: { _ in .approved }, console: console)
            // Its 公示 ran a month ago.
            let ids = try await publicize(app, past, cast: cast, from: today.adding(days: -30), calendar: calendar)
            try await object(app, past, to: ids[0], from: "王秀兰", phone: "15804771234", "反映该同志事迹材料中所列奖项与实际不符。")
            let admin = transitions(app, cast.admin)
            let pastID = try past.requireID()
            if let objection = try await Objection.query(on: app.db).filter(\.$campaign.$id == pastID).first() {
                try await admin.decideObjection(try objection.requireID(), campaignID: pastID, expectedVersion: objection.version,
                                                outcome: .disqualify, note: "经向发证单位核实，所列奖项不实，取消表彰资格。")
            }
            try await admin.clearPublicity(campaignID: pastID)
            try await admin.commend(campaign: past, text: DecisionText.proposed(
                awardYear: past.awardYear, documentNumber: past.documentNumber, issuingBody: Notice2024.issuingBody, today: today))
            try await admin.close(campaign: try await Campaign.find(pastID, on: app.db) ?? past)
            let first = try await Certificate.query(on: app.db).filter(\.$campaign.$id == pastID).sort(\.$id).first()?.number ?? ""
            console.info("已结束：\(past.documentNumber)，公开页面 /public/campaigns/\(pastID)，证书如 \(first)")
        }
    }

    private func transitions(_ app: Application, _ user: CurrentUser) -> NominationTransitions {
        NominationTransitions(app: app, user: user, actor: Self.actor(user), now: app.clock.now())
    }

    /// Starts the campaign's 公示 of every approved nomination, summaries taken from the deeds' opening.
    private func publicize(_ app: Application, _ campaign: Campaign, cast: Cast, from start: DayStamp,
                           calendar: WorkingCalendar) async throws -> [Int] {
        let rows = try await Nomination.query(on: app.db).filter(\.$campaign.$id == campaign.requireID())
            .filter(\.$state == NominationState.approved.rawValue).field(\.$id).field(\.$version).field(\.$data).sort(\.$id).all()
        let chosen = try rows.map { n in
            let deeds = Nomination.values(from: n.data)["deeds"] ?? ""
            let opening = deeds.split(whereSeparator: { "。\n".contains($0) }).first.map { String($0) + "。" } ?? ""
            return NominationTransitions.Chosen(id: try n.requireID(), version: n.version,
                                                summary: String(opening.prefix(NominationForm.summaryMaxLength)))
        }
        let period = try calendar.period(startingOn: start, workingDays: PublicityPlan.defaultWorkingDays)
        let plan = PublicityPlan(first: period.first, last: period.last, workingDays: PublicityPlan.defaultWorkingDays,
                                 contactUnit: campaign.contactUnit, contactPhone: campaign.contactPhone,
                                 contactAddress: "鄂尔多斯市康巴什区市民中心")
        try await transitions(app, cast.admin).startPublicity(campaign: campaign, plan: plan, chosen: chosen)
        return chosen.map(\.id)
    }

    /// An objection as a visitor of the public page files it.
    private func object(_ app: Application, _ campaign: Campaign, to nomination: Int, from name: String, phone: String,
                        _ content: String) async throws {
        guard case .success(let input) = ObjectionInput.parse(objectorName: name, objectorPhone: phone, nomination: "\(nomination)",
                                                              content: content, listed: [nomination]) else { return }
        let box = app.secrets, now = app.clock.now(), campaignID = try campaign.requireID()
        try await app.write { db in
            try await Objection.file(input, campaignID: campaignID, addressHash: box.keyedHash("objection-address:demo"), box: box,
                                     actor: Actor(userID: nil, name: "", role: "anonymous", address: "demo"), at: now, on: db)
        }
    }
}
