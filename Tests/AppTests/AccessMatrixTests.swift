@testable import App
import Fluent
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// Every route × every kind of visitor, as one table written from the product's rules (not from the route
/// code): who may use it, who is refused with 403, and where another committee's id must look like 404.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Access: Sendable {
        /// Anyone, signed in or not.
        case everyone
        /// Anyone, never sent to sign in; what is not yet public (a campaign before its 公示, a number no
        /// certificate carries) is an honest 404.
        case publicPage
        /// Any signed-in role.
        case signedIn
        /// Any signed-in role, but a committee operator only for their own committee (`:committeeID`).
        case ownCommittee
        /// Administrators and reviewers.
        case alliance
        /// Administrators only.
        case admin
        /// Administrators only, for a stage of the campaign's end the seeded campaign has not reached (its
        /// 公示, objections, decision): an honest 404 for them, 403 for everybody else.
        case adminStage
        /// Committee operators only; a record of another committee is "not found" (`:nominationID`).
        case committeeOnly
        /// Any signed-in role for a record (`:nominationID`) of a committee it may see.
        case ownRecord
        /// The alliance's own file on a record: administrators and reviewers; a committee finds nothing there.
        case allianceFile
        /// A stamped scan, full ID number and phone in the picture: the record's committee and the administrator;
        /// a reviewer without a reveal refused (`PersonalDataPolicy`); another committee finds nothing.
        case scanFile
        /// The administrator's decision on a record; reviewers and committees are refused, another committee's
        /// record is not found.
        case adminRecord
        /// A reviewer's note on a record.
        case reviewerRecord
        /// Administrators and reviewers on a record (the 纪检 reply).
        case allianceRecord
        /// One's own notification (`:notificationID`); anybody else's is not found.
        case ownNotification
        /// Only from an address in `HONORS_METRICS_ALLOW` (the machine itself by default), whoever is signed
        /// in: from anywhere else, the administrator included, there is no such page.
        case monitor
        /// The JSON API: only with a bearer token. A browser's session is no key to it, the administrator's
        /// included: 401 for every visitor here (`APITests` holds what tokens may do).
        case apiToken
    }

    static let expected: [String: Access] = [
        "GET /healthz": .everyone,
        "GET /healthz/live": .everyone,
        "GET /api/v1/me": .apiToken,
        "GET /api/v1/campaigns": .apiToken,
        "GET /api/v1/campaigns/:campaignId/quotas": .apiToken,
        "GET /api/v1/campaigns/:campaignId/commended": .apiToken,
        "GET /api/v1/nominations": .apiToken,
        "POST /api/v1/nominations": .apiToken,
        "GET /api/v1/nominations/:nominationId": .apiToken,
        "PUT /api/v1/nominations/:nominationId": .apiToken,
        "POST /api/v1/nominations/:nominationId/actions/:action": .apiToken,
        "GET /admin/tokens": .admin,
        "POST /admin/tokens": .admin,
        "POST /admin/tokens/:tokenID/revoke": .admin,
        "GET /metrics": .monitor,
        "GET /public/campaigns/:campaignID": .publicPage,
        "POST /public/campaigns/:campaignID/objections": .publicPage,
        "GET /public/certificates": .publicPage,
        "GET /public/certificates/:number": .publicPage,
        "GET /campaigns/:campaignID/publicity": .admin,
        "POST /campaigns/:campaignID/publicity": .admin,
        "POST /campaigns/:campaignID/publicity/clear": .admin,
        "GET /campaigns/:campaignID/publicity/notice.docx": .adminStage,
        "GET /campaigns/:campaignID/publicity/notice.pdf": .adminStage,
        "POST /campaigns/:campaignID/objections/:objectionID": .adminStage,
        "GET /campaigns/:campaignID/objections/:objectionID/contact": .adminStage,
        "GET /campaigns/:campaignID/objections/:objectionID/attachment": .adminStage,
        "POST /campaigns/:campaignID/commendation": .admin,
        "GET /campaigns/:campaignID/commendation/decision.docx": .adminStage,
        "GET /campaigns/:campaignID/commendation/decision.pdf": .adminStage,
        "GET /campaigns/:campaignID/commendation/decision.xlsx": .adminStage,
        "GET /campaigns/:campaignID/commendation/certificates.docx": .adminStage,
        "GET /campaigns/:campaignID/commendation/certificates.pdf": .adminStage,
        "POST /campaigns/:campaignID/close": .admin,
        "GET /login": .everyone,
        "POST /login": .everyone,
        "POST /logout": .everyone,
        "GET /": .signedIn,
        "GET /account/password": .signedIn,
        "POST /account/password": .signedIn,
        "GET /account/factor": .signedIn,
        "POST /account/factor": .signedIn,
        "POST /account/factor/disable": .signedIn,
        "GET /campaigns": .signedIn,
        "GET /campaigns/:campaignID": .signedIn,
        "GET /committees/:committeeID": .ownCommittee,
        "GET /committees": .alliance,
        "POST /committees": .admin,
        "GET /campaigns/:campaignID/edit": .admin,
        "POST /campaigns/:campaignID": .admin,
        "GET /campaigns/:campaignID/copy": .admin,
        "POST /campaigns/:campaignID/copy": .admin,
        "GET /campaigns/:campaignID/quotas/edit": .admin,
        "POST /campaigns/:campaignID/quotas": .admin,
        "POST /campaigns/:campaignID/extensions": .admin,
        "GET /admin/users": .admin,
        "GET /admin/users/new": .admin,
        "POST /admin/users": .admin,
        "GET /admin/users/:userID": .admin,
        "POST /admin/users/:userID": .admin,
        "POST /admin/users/:userID/disable": .admin,
        "POST /admin/users/:userID/enable": .admin,
        "POST /admin/users/:userID/reset-password": .admin,
        "POST /admin/users/:userID/unlock": .admin,
        "POST /admin/users/:userID/factor/reset": .admin,
        "GET /admin/calendar": .admin,
        "POST /admin/calendar": .admin,
        "GET /admin/audit": .admin,
        "GET /admin/audit.xlsx": .admin,
        "GET /nominations": .signedIn,
        "GET /nominations/:nominationID": .ownRecord,
        "GET /nominations/:nominationID/photo": .ownRecord,
        "GET /nominations/new": .committeeOnly,
        "POST /nominations": .committeeOnly,
        "GET /nominations/:nominationID/edit": .committeeOnly,
        "POST /nominations/:nominationID": .committeeOnly,
        "POST /nominations/:nominationID/submit": .committeeOnly,
        "POST /nominations/:nominationID/withdraw": .committeeOnly,
        "POST /nominations/:nominationID/photo": .committeeOnly,
        "POST /nominations/:nominationID/scan": .committeeOnly,
        "GET /nominations/:nominationID/scan/:file": .scanFile,
        "GET /nominations/:nominationID/history": .ownRecord,
        "POST /nominations/:nominationID/return": .adminRecord,
        "POST /nominations/:nominationID/approve": .adminRecord,
        "POST /nominations/:nominationID/reject": .adminRecord,
        "POST /nominations/:nominationID/revert": .adminRecord,
        "POST /nominations/:nominationID/review": .reviewerRecord,
        "POST /nominations/:nominationID/integrity": .allianceRecord,
        "GET /nominations/:nominationID/integrity/:file": .allianceFile,
        "GET /review": .alliance,
        "GET /campaigns/:campaignID/composition": .alliance,
        "GET /campaigns/:campaignID/composition.xlsx": .alliance,
        "POST /review/approve": .admin,
        "GET /integrity": .alliance,
        "GET /integrity/letter.docx": .alliance,
        "GET /integrity/letter.pdf": .alliance,
        "GET /notifications": .signedIn,
        "POST /notifications/read-all": .signedIn,
        "POST /notifications/:notificationID/read": .ownNotification,
        "POST /admin/users/:userID/recusals": .admin,
        "GET /quota-requests": .signedIn,
        "GET /nominations/:nominationID/form.docx": .ownRecord,
        "GET /campaigns/:campaignID/quotas.docx": .signedIn,
        "GET /campaigns/:campaignID/summary.xlsx": .signedIn,
        "GET /nominations/:nominationID/form.pdf": .ownRecord,
        "POST /quota-requests": .committeeOnly,
        "GET /import/template.xlsx": .signedIn,
        "GET /import": .committeeOnly,
        "GET /campaigns/:campaignID/packages": .signedIn,
        "POST /campaigns/:campaignID/packages": .signedIn,
        "GET /packages/:packageID": .ownRecord,
        "GET /packages/:packageID/status": .ownRecord,
        "GET /packages/:packageID/download": .ownRecord,
        "POST /import": .committeeOnly,
        "POST /quota-requests/:requestID/decide": .admin,
    ]

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }

    @Test("the table covers every registered route, and nothing else")
    func tableCoversRoutes() async throws {
        try await withHonorsApp { app, _ in
            let registered = Set(app.routes.all.map(Self.key))
            #expect(registered.subtracting(Self.expected.keys).sorted() == [], "routes without an access rule")
            #expect(Set(Self.expected.keys).subtracting(registered).sorted() == [], "rules for routes that do not exist")
        }
    }

    enum Visitor: String, CaseIterable, Sendable {
        case anonymous, admin, reviewer, ownCommittee, otherCommittee
    }

    @Test("each visitor gets what the table says", arguments: expected.keys.sorted())
    func routeAccess(_ key: String) async throws {
        let access = try #require(Self.expected[key])
        try await withHonorsApp { app, _ in
            try await app.makeUser("admin1", role: .admin)
            try await app.makeUser("reviewer1", role: .reviewer)
            try await app.makeUser("kuaidi1", role: .committee, committee: "市快递行业党委")
            let victim = try await app.makeUser("wuye1", role: .committee, committee: "市物业行业党委")
            let own = try await app.committeeID("市快递行业党委")
            let other = try await app.committeeID("市物业行业党委")
            // Submitted, so the alliance sees them: a draft would be "not found" for it, as the workflow says.
            let ownNomination = try await app.makeNomination(committee: own, state: .submitted)
            let otherNomination = try await app.makeNomination(committee: other, state: .submitted)
            func notification(for user: User) async throws -> Int {
                let n = Notification()
                n.userID = try user.requireID()
                n.kind = "returned"
                n.title = "t"
                n.body = "b"
                n.link = "/"
                n.createdAt = app.clock.now()
                try await n.create(on: app.db)
                return try n.requireID()
            }
            let ownNotice = try await notification(for: try #require(try await User.query(on: app.db).filter(\.$username == "kuaidi1").first()))
            let otherNotice = try await notification(for: victim)
            let request = QuotaRequest()
            request.version = 1
            request.$campaign.id = 1
            request.$committee.id = own
            request.category = "member"
            request.extra = 1
            request.reason = "理由"
            request.state = "pending"
            request.requestedBy = "kuaidi1"
            try await request.create(on: app.db)
            // A package is its requester's: each visitor gets one of their own; the other committee's is wuye1's.
            func package(for committee: Int?, by username: String) async throws -> Int {
                let job = PackageJob()
                job.$campaign.id = 1
                job.$committee.id = committee
                job.requestedBy = username
                job.withPDF = false
                job.fullPersonalData = false
                job.state = "queued"
                job.done = 0
                job.total = 0
                job.updatedAt = app.clock.now()
                try await job.create(on: app.db)
                return try job.requireID()
            }
            let packages: [Visitor: Int] = [
                .admin: try await package(for: nil, by: "admin1"), .reviewer: try await package(for: nil, by: "reviewer1"),
                .ownCommittee: try await package(for: own, by: "kuaidi1"), .otherCommittee: try await package(for: other, by: "wuye1"),
                .anonymous: try await package(for: own, by: "kuaidi1"),
            ]

            let token = try await APITokens(app: app, actor: .commandLine(), now: app.clock.now())
                .create(.init(name: "平台", committeeID: own, alliance: false, write: true, days: 30)).row
            let parts = key.split(separator: " ", maxSplits: 1)
            let method = String(parts[0])
            for visitor in Visitor.allCases {
                let browser = Browser(app)
                switch visitor {
                case .anonymous: break
                case .admin: try await browser.signIn("admin1")
                case .reviewer: try await browser.signIn("reviewer1")
                case .ownCommittee, .otherCommittee: try await browser.signIn("kuaidi1")
                }
                // The committee operator's "other" visit puts another committee's id in the URL.
                let committeeInURL = visitor == .otherCommittee ? other : own
                var path = String(parts[1])
                path = path.replacingOccurrences(of: ":committeeID", with: "\(committeeInURL)")
                path = path.replacingOccurrences(of: ":campaignID", with: "1")
                path = path.replacingOccurrences(of: ":objectionID", with: "1")
                path = path.replacingOccurrences(of: ":number", with: "2024-YXDY-001")
                path = path.replacingOccurrences(of: ":userID", with: "\(victim.id!)")
                path = path.replacingOccurrences(of: ":nominationID", with: "\(visitor == .otherCommittee ? otherNomination : ownNomination)")
                path = path.replacingOccurrences(of: "/nominations/new", with: "/nominations/new?category=member")
                path = path.replacingOccurrences(of: ":requestID", with: "\(request.id!)")
                path = path.replacingOccurrences(of: ":packageID", with: "\(packages[visitor]!)")
                path = path.replacingOccurrences(of: ":notificationID", with: "\(visitor == .otherCommittee ? otherNotice : ownNotice)")
                path = path.replacingOccurrences(of: ":file", with: String(repeating: "a", count: 64) + ".png")
                path = path.replacingOccurrences(of: ":tokenID", with: "\(token.id!)")
                path = path.replacingOccurrences(of: ":nominationId", with: "\(ownNomination)")
                path = path.replacingOccurrences(of: ":campaignId", with: "1")
                path = path.replacingOccurrences(of: ":action", with: "submit")
                let response = method == "GET" ? try await browser.get(path)
                    : method == "POST" ? try await browser.post(path) : try await browser.send(HTTPMethod(rawValue: method), path)
                let status = response.status
                let toLogin = status == .seeOther && (response.location ?? "").hasPrefix("/login")
                let context = "\(visitor) \(key) → \(status.code) \(response.location ?? "")"

                switch (access, visitor) {
                case (.apiToken, _):
                    #expect(status == .unauthorized && response.text.contains("需要有效的令牌"), "\(context)")
                case (.monitor, _):
                    #expect(status == .notFound, "\(context)")
                case (.everyone, _):
                    #expect(status != .forbidden && status != .notFound, "\(context)")
                case (.publicPage, _):
                    #expect(status != .forbidden && status != .unauthorized && !toLogin, "\(context)")
                case (_, .anonymous):
                    #expect(toLogin, "\(context)")
                case (.allianceFile, .admin), (.allianceFile, .reviewer):
                    // Allowed; the file asked for is not there, an honest 404.
                    #expect(![.forbidden, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.scanFile, .reviewer):
                    #expect(status == .forbidden, "\(context)")
                case (.scanFile, .otherCommittee):
                    #expect(status == .notFound, "\(context)")
                case (.scanFile, _):
                    // Allowed; the file asked for is not there, an honest 404.
                    #expect(![.forbidden, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.allianceFile, _):
                    #expect(status == .notFound, "\(context)")
                case (.adminRecord, .admin), (.reviewerRecord, .reviewer), (.allianceRecord, .admin), (.allianceRecord, .reviewer):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.adminRecord, .otherCommittee), (.reviewerRecord, .otherCommittee), (.allianceRecord, .otherCommittee):
                    #expect(status == .notFound, "\(context)")
                case (.adminRecord, _), (.reviewerRecord, _), (.allianceRecord, _):
                    #expect(status == .forbidden, "\(context)")
                case (.ownNotification, .ownCommittee):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.ownNotification, _):
                    #expect(status == .notFound, "\(context)")
                case (.signedIn, _), (.alliance, .admin), (.alliance, .reviewer), (.admin, .admin),
                     (.ownCommittee, .admin), (.ownCommittee, .reviewer), (.ownCommittee, .ownCommittee):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.ownCommittee, .otherCommittee), (.ownRecord, .otherCommittee):
                    #expect(status == .notFound, "\(context)")
                case (.ownRecord, _), (.committeeOnly, .ownCommittee):
                    // Allowed; a missing photo is an honest 404 for a record the visitor may see.
                    #expect(![.forbidden, .unauthorized].contains(status) && !toLogin, "\(context)")
                    if !key.hasSuffix("/photo") && !key.hasSuffix("/:file") { #expect(status != .notFound, "\(context)") }
                case (.committeeOnly, .otherCommittee) where key.contains(":nominationID"):
                    #expect(status == .notFound, "\(context)")
                case (.committeeOnly, .admin) where key.contains(":nominationID"), (.committeeOnly, .reviewer) where key.contains(":nominationID"):
                    // The workflow refuses the alliance the committee's actions, saying whose they are.
                    #expect(status == .forbidden, "\(context)")
                    #expect(response.text.contains("只有本党委经办人可以"), "\(context)")
                case (.committeeOnly, .otherCommittee):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.adminStage, .admin):
                    #expect(![.forbidden, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.alliance, _), (.admin, _), (.adminStage, _), (.committeeOnly, _):
                    #expect(status == .forbidden, "\(context)")
                }
            }
        }
    }
}
