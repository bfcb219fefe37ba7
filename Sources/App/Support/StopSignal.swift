import NIOConcurrencyHelpers
import Vapor

/// Set once when the instance begins to stop. Long background work held under a `Lease` ends at its next
/// step (the lease given back, so another instance, or this one's next start, goes on from there) instead of
/// keeping the shutdown waiting until it is done.
final class StopSignal: Sendable {
    private let box = NIOLockedValueBox(false)

    var isSet: Bool { box.withLockedValue { $0 } }

    func set() { box.withLockedValue { $0 = true } }
}

extension Application {
    private struct StopSignalKey: StorageKey { typealias Value = StopSignal }

    var stopSignal: StopSignal {
        if let signal = storage[StopSignalKey.self] { return signal }
        let signal = StopSignal()
        storage[StopSignalKey.self] = signal
        return signal
    }
}
