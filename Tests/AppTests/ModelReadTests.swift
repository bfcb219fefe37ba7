@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// `Database.model(_:id:with:on:)` reads a nomination and its campaign in one statement: both must be the models
/// Fluent reads apart, every field.
@Suite("Models read by plain statements")
struct ModelReadTests {
    /// Every field of a model, as its encoding writes it.
    static func fields<M: Model>(_ model: M) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(model), as: UTF8.self)
    }

    @Test("a nomination read with its campaign in one statement is the nomination and the campaign Fluent reads, field by field; an unknown id is nil")
    func withParent() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            let id = try await NominationTests.create(kuaidi, Samples.memberForm())
            // Columns the two tables share (id, version, title-like text, dates) must each come from their own table.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE campaigns SET version = version + 7, closed_at = \(bind: Date(timeIntervalSince1970: 1_720_000_000)) WHERE id = 1").run()
            let (nomination, campaign) = try #require(try await app.db.model(Nomination.self, id: id, with: Campaign.self, on: "campaign_id"))
            let expectedNomination = try #require(try await Nomination.find(id, on: app.db))
            let expectedCampaign = try #require(try await Campaign.find(1, on: app.db))
            #expect(try Self.fields(nomination) == Self.fields(expectedNomination))
            #expect(try Self.fields(campaign) == Self.fields(expectedCampaign))
            #expect(nomination.version != campaign.version && campaign.closedAt != nil)
            #expect(nomination.$id.exists && campaign.$id.exists)
            #expect(try await app.db.model(Nomination.self, id: id + 1000, with: Campaign.self, on: "campaign_id") == nil)
        }
    }
}
