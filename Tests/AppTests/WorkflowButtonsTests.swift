@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// Every nomination page offers exactly the actions the workflow allows its visitor: each form or button
/// carries `data-action`, and the set on the page must equal `NominationWorkflow.allowedActions`.
@Suite("Buttons follow the workflow")
struct WorkflowButtonsTests {
    /// When the page is looked at: before the deadline, after it within a 补正期限, after everything.
    enum When: String, CaseIterable, Sendable {
        case open, fixing, closed

        var date: Date {
            switch self {
            case .open: campaignDay
            case .fixing, .closed: DayStamp("2024-06-03")!.start.addingTimeInterval(10 * 3600)
            }
        }
    }

    @Test("the nomination page's actions equal the workflow's, for every state, visitor and phase", arguments: When.allCases)
    func page(_ when: When) async throws {
        try await withHonorsApp { app, clock in
            let committee = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(NominationState.allCases.count, committee: committee)
            try await app.makeUser("kuaidi", role: .committee, committee: "市快递行业党委")
            try await app.makeUser("boss", role: .admin)
            try await app.makeUser("rev", role: .reviewer)
            var ids: [NominationState: Int] = [:]
            for state in NominationState.allCases {
                let id = try await app.makeNomination(committee: committee, category: "member", name: "状态\(state.rawValue)", state: state)
                if state == .returned {
                    // The 补正期限 still runs in the "fixing" phase, has passed in the "closed" one.
                    let fixBy = when == .closed ? DayStamp("2024-06-01")! : DayStamp("2024-06-07")!
                    try await Nomination.query(on: app.db).filter(\.$id == id)
                        .set(\.$fixBy, to: fixBy.description).set(\.$fixUntil, to: fixBy.end).update()
                }
                ids[state] = id
            }
            clock.set(when.date)
            let deadlines = try await CampaignDeadlines.load(try #require(try await Campaign.find(1, on: app.db)), on: app.db)
            for username in ["kuaidi", "boss", "rev"] {
                let browser = Browser(app)
                try await browser.signIn(username)
                let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
                let current = CurrentUser(id: user.id!, username: username, displayName: username, role: user.role,
                                          committeeID: user.$committee.id, mustChangePassword: false, sessionID: "")
                for (state, id) in ids {
                    let row = try #require(try await Nomination.find(id, on: app.db))
                    let context = WorkflowSubject(row).context(for: current, deadlines: deadlines, now: clock.now())
                    let page = try await browser.get("/nominations/\(id)")
                    guard NominationWorkflow.allows(.view, context) else {
                        #expect(page.status == .notFound, "\(username) \(state) \(when)")
                        continue
                    }
                    let offered = Set(page.matches(of: #"data-action="([a-z]+)""#))
                    // 公示 and 表彰 steps are taken for the list at once, on the campaign's page, not per nomination.
                    let allowed = Set(NominationWorkflow.allowedActions(context).filter { !$0.isCampaignStep }.map(\.rawValue))
                        .subtracting(["view"])
                    #expect(offered == allowed, "\(username) on \(state) when \(when): page \(offered.sorted()), workflow \(allowed.sorted())")
                }
            }
        }
    }

    @Test("the desk offers approval exactly where the workflow allows it")
    func desk() async throws {
        try await withHonorsApp { app, _ in
            let committee = try await app.committeeID("市快递行业党委")
            try await app.setGuiding(2, committee: committee)
            let submitted = try await app.makeNomination(committee: committee, name: "已上报的", state: .submitted)
            let returned = try await app.makeNomination(committee: committee, name: "退回的", state: .returned)
            let admin = try await Flow.signedIn(app, "boss", role: .admin)
            let page = try await admin.get("/review")
            #expect(Set(page.matches(of: #"name="ids\[\]" value="(\d+):"#)) == ["\(submitted)"])
            #expect(page.text.contains("退回的") && !page.text.contains(#"value="\#(returned):"#))
        }
    }
}
