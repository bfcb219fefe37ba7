#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Vapor

/// Hands the heap's free pages back to the system once the server has gone quiet.
///
/// glibc keeps what a thread freed in that thread's arena for its next allocation: after start-up (migrations,
/// the first templates, the first connections) and after a burst of requests, megabytes sit there unused. The
/// job poll calls `tick()` every few seconds (not while a package is built here); when requests have come since the
/// last trim (or none has been done), none is under way and none began or ended for a second, `malloc_trim` releases
/// the free pages. Under load it does nothing: trimming takes each arena's lock, and the pages would be faulted in
/// again at once.
final class HeapTrim: Sendable {
    /// How long without a request under way counts as quiet.
    static let quiet: UInt64 = 1_000_000_000

    private let requests = Atomic<Int>(0)
    private let underWay = Atomic<Int>(0)
    private let lastActiveAt = Atomic<UInt64>(0)
    private let trimmedAt = Mutex<Int?>(nil)
    private let trim: @Sendable () -> Void

    init(trim: @escaping @Sendable () -> Void = HeapTrim.releaseFreePages) {
        self.trim = trim
    }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func requestBegan(at now: UInt64 = HeapTrim.now()) {
        underWay.add(1, ordering: .sequentiallyConsistent)
        requests.add(1, ordering: .sequentiallyConsistent)
        lastActiveAt.store(now, ordering: .sequentiallyConsistent)
    }

    func requestEnded(at now: UInt64 = HeapTrim.now()) {
        lastActiveAt.store(now, ordering: .sequentiallyConsistent)
        underWay.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Trims when requests came since the last trim, none is under way and none began or ended for `quiet`; true
    /// when it trimmed. `now` is read after the counts, so a request that begins meanwhile is seen as recent.
    @discardableResult
    func tick(at clock: @autoclosure () -> UInt64 = HeapTrim.now()) -> Bool {
        let count = requests.load(ordering: .sequentiallyConsistent)
        let busy = underWay.load(ordering: .sequentiallyConsistent) > 0
        let last = lastActiveAt.load(ordering: .sequentiallyConsistent)
        let now = clock()
        let due = trimmedAt.withLock { trimmed in
            guard count != trimmed, !busy, now >= last, now - last >= Self.quiet else { return false }
            trimmed = count
            return true
        }
        if due { trim() }
        return due
    }

    static func releaseFreePages() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim(pad)` (in `<malloc.h>`, which the Glibc module leaves out), or nil where the C library
    /// has none.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Notes each request's start and end for `tick()`: a clock read and a few atomic writes.
    struct Counter: AsyncMiddleware {
        let heap: HeapTrim

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            heap.requestBegan()
            defer { heap.requestEnded() }
            return try await next.respond(to: request)
        }
    }
}

extension Application {
    private struct HeapTrimKey: StorageKey { typealias Value = HeapTrim }

    /// The process's heap trim (one per application; the job poll ticks it).
    var heapTrim: HeapTrim {
        if let trim = storage[HeapTrimKey.self] { return trim }
        let trim = HeapTrim()
        storage[HeapTrimKey.self] = trim
        return trim
    }
}
