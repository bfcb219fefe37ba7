import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The time as Honors sees it. Deadlines, lockouts and session expiry all read this, so tests can move it.
protocol HonorsClock: Sendable {
    func now() -> Date
}

struct SystemClock: HonorsClock {
    func now() -> Date { Date() }
}

/// A clock that stands still until moved: for tests of deadlines and timeouts.
final class ManualClock: HonorsClock {
    private let current: NIOLockedValueBox<Date>
    init(_ start: Date) { current = NIOLockedValueBox(start) }
    func now() -> Date { current.withLockedValue { $0 } }
    func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }
    func set(_ date: Date) { current.withLockedValue { $0 = date } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = any HonorsClock }

    var clock: any HonorsClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.clock.now() }
}
