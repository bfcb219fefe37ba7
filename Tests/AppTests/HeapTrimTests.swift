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

    @Test("trims after start-up, then once after each busy spell, when no request came for a second")
    func quietAfterBusy() {
        let trims = Trims()
        let heap = HeapTrim { trims.count.add(1, ordering: .relaxed) }
        let second = HeapTrim.quiet
        var clock: UInt64 = 100 * second
        #expect(heap.tick(at: clock), "what start-up freed")
        #expect(!heap.tick(at: clock + 5 * second), "nothing came since")
        clock += 10 * second
        for step in 0..<3 { heap.noteRequest(at: clock + UInt64(step) * second / 10) }
        #expect(!heap.tick(at: clock + second / 2), "a request half a second ago: busy")
        #expect(heap.tick(at: clock + 2 * second), "quiet for a second after a burst")
        #expect(!heap.tick(at: clock + 7 * second))
        clock += 20 * second
        for step in 0..<5 {
            let at = clock + UInt64(step) * 5 * second
            heap.noteRequest(at: at)
            #expect(!heap.tick(at: at + second / 5), "requests keep coming: never trimmed under load")
        }
        #expect(heap.tick(at: clock + 30 * second))
        #expect(trims.count.load(ordering: .relaxed) == 3)
    }

    @Test("every request through the application counts, whoever asks and whatever the answer")
    func requestsCount() async throws {
        try await withHonorsApp { app, _ in
            let later = HeapTrim.now() + 10 * HeapTrim.quiet
            app.heapTrim.tick(at: later)
            #expect(!app.heapTrim.tick(at: later))
            try await app.testing().test(.GET, "/healthz/live") { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/no-such-page") { #expect($0.status == .notFound) }
            #expect(!app.heapTrim.tick(at: HeapTrim.now()), "requests a moment ago")
            #expect(app.heapTrim.tick(at: HeapTrim.now() + 2 * HeapTrim.quiet), "two requests since the last trim, then quiet")
        }
    }
}
