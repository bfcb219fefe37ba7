/// At most `count` holders at once inside this process, first come first served. Waiting here suspends a
/// task instead of blocking one of the few threads that SQLite, bcrypt and the helpers share.
actor Slots {
    private let count: Int
    private var held = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { self.count = max(1, count) }

    func acquire() async {
        guard held >= count else {
            held += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the slot to the next waiter, or frees it.
    func release() {
        if waiters.isEmpty { held -= 1 } else { waiters.removeFirst().resume() }
    }

    /// Runs `body` holding a slot.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
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
