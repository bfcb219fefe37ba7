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
        for step in 0..<3 {
            heap.requestBegan(at: clock + UInt64(step) * second / 10)
            heap.requestEnded(at: clock + UInt64(step) * second / 10 + second / 100)
        }
        #expect(!heap.tick(at: clock + second / 2), "a request half a second ago: busy")
        #expect(heap.tick(at: clock + 2 * second), "quiet for a second after a burst")
        #expect(!heap.tick(at: clock + 7 * second))
        clock += 20 * second
        for step in 0..<5 {
            let at = clock + UInt64(step) * 5 * second
            heap.requestBegan(at: at)
            heap.requestEnded(at: at + second / 10)
            #expect(!heap.tick(at: at + second / 5), "requests keep coming: never trimmed")
        }
        #expect(heap.tick(at: clock + 30 * second))
        #expect(trims.count.load(ordering: .relaxed) == 3)
    }

    @Test("a request under way, however long, holds the trim off; so does one that began after the clock was read")
    func longRequest() {
        let trims = Trims()
        let heap = HeapTrim { trims.count.add(1, ordering: .relaxed) }
        let second = HeapTrim.quiet
        heap.tick(at: 10 * second)
        heap.requestBegan(at: 20 * second)
        #expect(!heap.tick(at: 30 * second), "a download taking ten seconds is not quiet")
        heap.requestEnded(at: 31 * second)
        #expect(!heap.tick(at: 31 * second + second / 2))
        #expect(heap.tick(at: 33 * second))
        heap.requestBegan(at: 40 * second)
        heap.requestEnded(at: 40 * second)
        #expect(!heap.tick(at: 39 * second), "a request stamped later than the tick's clock")
        #expect(trims.count.load(ordering: .relaxed) == 2)
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
            #expect(app.heapTrim.tick(at: HeapTrim.now() + 2 * HeapTrim.quiet), "requests since the trim, then quiet")
        }
    }
}
