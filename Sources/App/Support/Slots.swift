/// At most `count` holders at once inside this process, first come first served, and at most `maxWaiting`
/// waiting: past that a request is told at once that the server is busy (`ServerBusy`) instead of queueing
/// without end. Waiting here suspends a task instead of blocking one of the few threads that SQLite, bcrypt
/// and the helpers share.
actor Slots {
    private let count: Int
    private let maxWaiting: Int
    private var held = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int, maxWaiting: Int = 8) {
        self.count = max(1, count)
        self.maxWaiting = max(0, maxWaiting)
    }

    func acquire() async throws {
        guard held >= count else {
            held += 1
            return
        }
        guard waiters.count < maxWaiting else { throw ServerBusy() }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Holders waiting for a slot now.
    var waiting: Int { waiters.count }

    /// Hands the slot to the next waiter, or frees it.
    func release() {
        if waiters.isEmpty { held -= 1 } else { waiters.removeFirst().resume() }
    }

    /// Runs `body` holding a slot.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}

/// Too many requests wait for the same scarce helper already (PDF conversion, scan reading).
struct ServerBusy: Error {
    static let message = "系统繁忙：正在处理的文件较多，请稍等片刻后重试。本次未做任何修改。"
}
