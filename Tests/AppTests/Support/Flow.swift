@testable import App
import Fluent
import Foundation
import HonorsCore
import Testing
import Vapor
import VaporTesting

/// The workflow's steps as people take them through the web, for tests that need a nomination further on.
enum Flow {
    static func version(_ id: Int, _ app: Application) async throws -> Int {
        try #require(try await Nomination.find(id, on: app.db)).version
    }

    static func fingerprint(_ id: Int, _ app: Application) async throws -> String {
        let nomination = try #require(try await Nomination.find(id, on: app.db))
        return try NominationService(app: app, db: app.db, user: CurrentUser(id: 0, username: "", displayName: "", role: .admin,
                                                                             committeeID: nil, mustChangePassword: false, sessionID: ""),
                                     actor: .commandLine(), now: app.clock.now()).fingerprint(of: nomination)
    }

    /// The page's pending-scan token, when it asks which printed version an unreadable scan is.
    static func pendingToken(_ page: TestingHTTPResponse) -> String? {
        page.matches(of: #"name="pending" value="([^"]+)""#).first
    }

    /// Uploads a scan without a readable code and confirms it by hand as the current printed version.
    @discardableResult
    static func uploadScan(_ browser: Browser, _ id: Int, app: Application) async throws -> TestingHTTPResponse {
        let upload = try await browser.upload("/nominations/\(id)/scan", field: "scan[]", filename: "扫描件.png",
                                              data: Samples.png(width: 1240, height: 1754), contentType: "image/png")
        let token = try #require(pendingToken(upload), "\(upload.status) \(upload.fieldErrors)")
        return try await browser.post("/nominations/\(id)/scan", [("pending", token), ("printed", try await fingerprint(id, app)),
                                                                  ("version", "\(try await version(id, app))")])
    }

    /// Photo (for people), scan and 上报, as a committee does it.
    @discardableResult
    static func submit(_ browser: Browser, _ id: Int, app: Application, photo: Bool = true) async throws -> TestingHTTPResponse {
        if photo, try #require(try await Nomination.find(id, on: app.db)).categoryValue.isPerson {
            _ = try await browser.upload("/nominations/\(id)/photo", field: "photo", filename: "照片.png",
                                         data: Samples.png(), contentType: "image/png")
        }
        try await uploadScan(browser, id, app: app)
        return try await browser.post("/nominations/\(id)/submit", [("version", "\(try await version(id, app))")])
    }

    /// Records a 纪检 reply as the alliance does.
    @discardableResult
    static func integrity(_ browser: Browser, _ id: Int, _ result: IntegrityResult = .clear, note: String = "") async throws -> TestingHTTPResponse {
        try await browser.post("/nominations/\(id)/integrity", [("integrity_result", result.rawValue), ("integrity_note", note),
                                                               ("reply_date", "2024-05-20")])
    }

    @discardableResult
    static func approve(_ browser: Browser, _ id: Int, app: Application, opinion: String = "同意表彰。") async throws -> TestingHTTPResponse {
        try await browser.post("/nominations/\(id)/approve", [("alliance_opinion", opinion), ("alliance_opinion_date", "2024-05-20"),
                                                             ("version", "\(try await version(id, app))")])
    }

    @discardableResult
    static func sendBack(_ browser: Browser, _ id: Int, app: Application, reason: String = "请补充主要事迹中的具体数据。",
                         fixBy: String = "") async throws -> TestingHTTPResponse {
        try await browser.post("/nominations/\(id)/return", [("reason", reason), ("fix_by", fixBy),
                                                            ("version", "\(try await version(id, app))")])
    }

    /// A signed-in browser for a new account.
    static func signedIn(_ app: Application, _ username: String, role: Role, committee: String? = nil) async throws -> Browser {
        try await app.makeUser(username, role: role, committee: committee)
        let browser = Browser(app)
        try await browser.signIn(username)
        return browser
    }
}
