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
        /// Any signed-in role.
        case signedIn
        /// Any signed-in role, but a committee operator only for their own committee (`:committeeID`).
        case ownCommittee
        /// Administrators and reviewers.
        case alliance
        /// Administrators only.
        case admin
        /// Committee operators only; a record of another committee is "not found" (`:nominationID`).
        case committeeOnly
        /// Any signed-in role for a record (`:nominationID`) of a committee it may see.
        case ownRecord
    }

    static let expected: [String: Access] = [
        "GET /healthz": .everyone,
        "GET /login": .everyone,
        "POST /login": .everyone,
        "POST /logout": .everyone,
        "GET /": .signedIn,
        "GET /account/password": .signedIn,
        "POST /account/password": .signedIn,
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
        "GET /admin/audit": .admin,
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
            let ownNomination = try await app.makeNomination(committee: own)
            let otherNomination = try await app.makeNomination(committee: other)
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
            func package(for committee: Int) async throws -> Int {
                let job = PackageJob()
                job.$campaign.id = 1
                job.$committee.id = committee
                job.requestedBy = "test"
                job.withPDF = false
                job.fullPersonalData = false
                job.state = "queued"
                job.done = 0
                job.total = 0
                job.updatedAt = app.clock.now()
                try await job.create(on: app.db)
                return try job.requireID()
            }
            let ownPackage = try await package(for: own), otherPackage = try await package(for: other)

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
                let path = String(parts[1])
                    .replacingOccurrences(of: ":committeeID", with: "\(committeeInURL)")
                    .replacingOccurrences(of: ":campaignID", with: "1")
                    .replacingOccurrences(of: ":userID", with: "\(victim.id!)")
                    .replacingOccurrences(of: ":nominationID",
                                          with: "\(visitor == .otherCommittee ? otherNomination : ownNomination)")
                    .replacingOccurrences(of: "/nominations/new", with: "/nominations/new?category=member")
                    .replacingOccurrences(of: ":requestID", with: "\(request.id!)")
                    .replacingOccurrences(of: ":packageID", with: "\(visitor == .otherCommittee ? otherPackage : ownPackage)")
                let response = method == "GET" ? try await browser.get(path) : try await browser.post(path)
                let status = response.status
                let toLogin = status == .seeOther && (response.location ?? "").hasPrefix("/login")
                let context = "\(visitor) \(key) → \(status.code) \(response.location ?? "")"

                switch (access, visitor) {
                case (.everyone, _):
                    #expect(status != .forbidden && status != .notFound, "\(context)")
                case (_, .anonymous):
                    #expect(toLogin, "\(context)")
                case (.signedIn, _), (.alliance, .admin), (.alliance, .reviewer), (.admin, .admin),
                     (.ownCommittee, .admin), (.ownCommittee, .reviewer), (.ownCommittee, .ownCommittee):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.ownCommittee, .otherCommittee), (.ownRecord, .otherCommittee):
                    #expect(status == .notFound, "\(context)")
                case (.ownRecord, _), (.committeeOnly, .ownCommittee):
                    // Allowed; a missing photo is an honest 404 for a record the visitor may see.
                    #expect(![.forbidden, .unauthorized].contains(status) && !toLogin, "\(context)")
                    if !key.hasSuffix("/photo") { #expect(status != .notFound, "\(context)") }
                case (.committeeOnly, .otherCommittee) where key.contains(":nominationID"):
                    #expect(status == .notFound, "\(context)")
                case (.committeeOnly, .otherCommittee):
                    #expect(![.forbidden, .notFound, .unauthorized].contains(status) && !toLogin, "\(context)")
                case (.alliance, _), (.admin, _), (.committeeOnly, _):
                    #expect(status == .forbidden, "\(context)")
                }
            }
        }
    }
}
