import Fluent
import HonorsCore
import NIOConcurrencyHelpers
import Vapor

/// What pages read on every request and the alliance changes a few times a campaign (committees, campaign
/// headers, quotas, deadlines, the working calendar), kept per instance under the token of
/// `reference_generation` (`CreateReferenceGeneration`) that the request read with its session.
///
/// A request that read token T is answered from data read after T was committed, never older: an entry is
/// filled only by a request that saw T first, and the triggers give any later change a new token. Only pages
/// read through it; a write decides from what its transaction reads (`apply`).
final class ReferenceCache: Sendable {
    private struct Kept {
        var token = ""
        var values: [String: any Sendable] = [:]
    }

    private let box = NIOLockedValueBox(Kept())

    /// The value kept under `key` for `token`, else `load()`'s, kept for the requests that come with the same token.
    func value<T: Sendable>(_ key: String, token: String, load: () async throws -> T) async throws -> T {
        if let kept: T = lookUp(key, token: token) { return kept }
        let value = try await load()
        keep(value, key, token: token)
        return value
    }

    /// As `value`, keeping only an answer found: an id from a URL that names nothing is read each time rather
    /// than kept (guesses would otherwise fill the cache until the next change).
    func valueIfFound<T: Sendable>(_ key: String, token: String, load: () async throws -> T?) async throws -> T? {
        if let kept: T = lookUp(key, token: token) { return kept }
        guard let value = try await load() else { return nil }
        keep(value, key, token: token)
        return value
    }

    private func lookUp<T: Sendable>(_ key: String, token: String) -> T? {
        // Looked up before the cast: a missing entry cast to an optional `T` would read as a kept nil.
        box.withLockedValue { kept in
            guard kept.token == token, let stored = kept.values[key] else { return nil }
            return stored as? T
        }
    }

    private func keep<T: Sendable>(_ value: T, _ key: String, token: String) {
        box.withLockedValue { kept in
            // A request that came with an older token than the kept one only keeps its value until a newer comes.
            if kept.token != token { kept = Kept(token: token) }
            kept.values[key] = value
        }
    }

    /// Entries kept now (for tests).
    var count: Int { box.withLockedValue { $0.values.count } }
}

extension Application {
    private struct ReferenceCacheKey: StorageKey { typealias Value = ReferenceCache }

    /// Made in `configure`, before requests come.
    var referenceCache: ReferenceCache {
        if let cache = storage[ReferenceCacheKey.self] { return cache }
        let cache = ReferenceCache()
        storage[ReferenceCacheKey.self] = cache
        return cache
    }
}

/// The token of `reference_generation` read with the session (`SessionAuthenticator`).
struct ReferenceTokenKey: StorageKey { typealias Value = String }

extension Request {
    /// The reference reads of a page: from the instance's cache when the session brought a token, else from the
    /// database.
    var reference: ReferenceReads { ReferenceReads(req: self) }
}

/// Each read answers as its type's own `load(on:)` does; what is kept is a copy of that answer.
struct ReferenceReads {
    let req: Request

    private func read<T: Sendable>(_ key: String, _ load: (any Database) async throws -> T) async throws -> T {
        guard let token = req.storage[ReferenceTokenKey.self] else { return try await load(req.db) }
        return try await req.application.referenceCache.value(key, token: token) { try await load(req.db) }
    }

    /// As `read`, keeping only an answer found (`ReferenceCache.valueIfFound`).
    private func read<T: Sendable>(_ key: String, ifFound load: (any Database) async throws -> T?) async throws -> T? {
        guard let token = req.storage[ReferenceTokenKey.self] else { return try await load(req.db) }
        return try await req.application.referenceCache.valueIfFound(key, token: token) { try await load(req.db) }
    }

    func committees() async throws -> CommitteeDirectory {
        try await read("committees") { try await CommitteeDirectory.load(on: $0) }
    }

    /// One committee's model: from the kept directory when the session brought a token, else its own row (a
    /// request without a session, as the API's are, reads one committee rather than all of them).
    func committee(_ id: Int) async throws -> Committee? {
        guard req.storage[ReferenceTokenKey.self] != nil else { return try await req.db.model(Committee.self, id: id) }
        return try await committees().model(id)
    }

    func campaign(_ id: Int) async throws -> CampaignHeader? {
        try await read("campaign-\(id)", ifFound: { try await CampaignHeader.find(id, on: $0) })
    }

    func recentCampaigns() async throws -> [CampaignHeader] {
        try await read("recent-campaigns") { try await CampaignHeader.recent(on: $0) }
    }

    func quotas(campaignID: Int) async throws -> [QuotaSheet.Quota] {
        try await read("quotas-\(campaignID)") { try await QuotaSheet.quotas(campaignID: campaignID, on: $0) }
    }

    /// The quota sheet as `user` may see it, from the cached committees and quota rows.
    func quotaSheet(campaignID: Int, for user: CurrentUser) async throws -> QuotaSheet {
        QuotaSheet(campaignID: campaignID, onlyCommittee: QuotaSheet.onlyCommittee(for: user), directory: try await committees(),
                   quotas: try await quotas(campaignID: campaignID))
    }

    /// The extensions and the 公示's end as kept, with the deadline and closing of `days` as the caller read them.
    func deadlines(campaignID: Int, days: CampaignDays) async throws -> CampaignDeadlines {
        let kept = try await read("deadlines-\(campaignID)") { try await CampaignDeadlines.load(campaignID: campaignID, days: days, on: $0) }
        return CampaignDeadlines(campaign: days.deadline, extended: kept.extended, publicityEnd: kept.publicityEnd,
                                 closed: days.closedAt != nil)
    }

    func calendar() async throws -> WorkingCalendar {
        try await read("calendar") { try await WorkingCalendar.load(on: $0) }
    }
}
