import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The key ring this process seals and opens with. A ring read from a file is read again when the file
/// changes (checked at most once a second), so an instance picks up `honors key rotate` or `retire` run
/// elsewhere without a restart: it opens values sealed with the new key and seals with it from then on.
/// A changed file that cannot be read leaves the ring as it was (the next start will say why).
final class SecretKeys: Sendable {
    private struct State {
        var box: SecretBox
        var stamp: KeyRingFile.Stamp?
        var checked: Date
    }

    let source: SecretKeySource?
    private let state: NIOLockedValueBox<State>

    /// A ring checked against the database by `SecretKeySource.open`.
    init(_ box: SecretBox, source: SecretKeySource?) {
        self.source = source
        state = .init(State(box: box, stamp: source?.path.flatMap(KeyRingFile.Stamp.init(path:)), checked: Date()))
    }

    var box: SecretBox {
        guard let path = source?.path else { return state.withLockedValue { $0.box } }
        return state.withLockedValue { state in
            let now = Date()
            guard now.timeIntervalSince(state.checked) >= 1 else { return state.box }
            state.checked = now
            let stamp = KeyRingFile.Stamp(path: path)
            if stamp != state.stamp, let fresh = try? SecretKeySource.read(path) {
                state.box = fresh
                state.stamp = stamp
            }
            return state.box
        }
    }

    /// Reads the file again now: after this process changed it.
    func reload() throws {
        guard let path = source?.path else { return }
        let fresh = try SecretKeySource.read(path)
        state.withLockedValue { $0 = State(box: fresh, stamp: KeyRingFile.Stamp(path: path), checked: Date()) }
    }
}

extension SecretKeySource {
    /// The key file, nil for a ring in the environment.
    var path: String? {
        if case .file(let path) = origin { return path }
        return nil
    }
}

extension Application {
    private struct SecretKeysKey: StorageKey { typealias Value = SecretKeys }

    var secretKeys: SecretKeys {
        get {
            guard let keys = storage[SecretKeysKey.self] else { fatalError("SecretKeys are set up in configure") }
            return keys
        }
        set { storage[SecretKeysKey.self] = newValue }
    }

    /// The ring as it is now.
    var secrets: SecretBox { secretKeys.box }
}
