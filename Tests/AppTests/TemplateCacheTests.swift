@testable import App
import Leaf
import LeafKit
import Testing
import Vapor
import VaporTesting

/// Templates are parsed once, whatever the environment the server runs in.
@Suite("Template cache")
struct TemplateCacheTests {
    @Test("a page's templates are kept after the first time, in development as in production")
    func kept() async throws {
        try await withHonorsApp { app, _ in
            // `honors serve` without `--env` runs as development.
            app.environment = .development
            let cache = try #require(app.leaf.cache as? DefaultLeafCache)
            #expect(try await Browser(app).get("/login").status == .ok)
            #expect(cache.isEnabled && cache.count > 0, "the sign-in page and its layout stay parsed")
            let kept = cache.count
            #expect(try await Browser(app).get("/login").status == .ok)
            #expect(cache.count == kept)
        }
    }
}
