@testable import App
import Synchronization
import Testing
import VaporTesting

/// Freed heap goes back to the system once after start-up and once after each busy spell, never while requests
/// keep coming.
@Suite("Heap trim when quiet")
struct HeapTrimTests {
    final class Trims: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test("trims after start-up, then only after requests have come and stopped for a tick")
    func quietAfterBusy() {
        let trims = Trims()
        let heap = HeapTrim { trims.count.add(1, ordering: .relaxed) }
        #expect(heap.tick(), "what start-up freed")
        #expect(!heap.tick(), "nothing came since")
        for _ in 0..<3 { heap.noteRequest() }
        #expect(!heap.tick(), "requests since the last tick: busy")
        #expect(heap.tick(), "quiet for a tick after a burst")
        #expect(!heap.tick())
        for _ in 0..<5 {
            heap.noteRequest()
            #expect(!heap.tick(), "a request before every tick: never trimmed under load")
        }
        #expect(heap.tick())
        #expect(trims.count.load(ordering: .relaxed) == 3)
    }

    @Test("every request through the application counts, whoever asks and whatever the answer")
    func requestsCount() async throws {
        try await withHonorsApp { app, _ in
            app.heapTrim.tick()
            #expect(!app.heapTrim.tick())
            try await app.testing().test(.GET, "/healthz/live") { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/no-such-page") { #expect($0.status == .notFound) }
            #expect(!app.heapTrim.tick(), "two requests since the last tick")
            #expect(app.heapTrim.tick())
        }
    }
}
