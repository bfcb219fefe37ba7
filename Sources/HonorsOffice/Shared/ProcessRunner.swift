import Foundation

/// Runs helper programs (LibreOffice, poppler, ZBar) off the request's thread, each with a time limit
/// that kills its whole process group.
public enum ProcessRunner {
    /// The first of `names` found on PATH.
    public static func find(_ names: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") where !folder.isEmpty {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// What a finished program left.
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: Data
        public let timedOut: Bool
    }

    /// Runs `executable` with `arguments`, collecting standard output (standard error is dropped).
    public static func capture(_ executable: URL, _ arguments: [String], timeout: Double,
                               environment: [String: String]? = nil) async throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("honors-run-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: scratch.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let handle = try FileHandle(forWritingTo: scratch)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let timedOut = try await run(process, timeout: timeout)
        try? handle.close()
        return Outcome(status: process.terminationStatus, output: (try? Data(contentsOf: scratch)) ?? Data(), timedOut: timedOut)
    }

    /// Runs the process, killing its whole process group when time runs out (soffice starts
    /// soffice.bin as a child) or when the calling task is cancelled (an instance stopping mid-package must not
    /// wait out a conversion nobody will use). Returns whether it timed out; throws `CancellationError` when cancelled.
    public static func run(_ process: Process, timeout: Double) async throws -> Bool {
        let state = RunState()
        let timedOut = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                let start = Date()
                process.terminationHandler = { _ in
                    // Under load the timer below can fire late: a run that outlived its limit counts as timed out
                    // all the same, so the limit holds whatever the scheduler did.
                    if Date().timeIntervalSince(start) > timeout { _ = state.markTimedOutIfRunning() }
                    state.finish { continuation.resume(returning: state.timedOut) }
                }
                do {
                    try process.run()
                } catch {
                    state.finish { continuation.resume(throwing: OfficeError.conversionFailed("cannot start: \(error)")) }
                    return
                }
                // Cancelled before it started: it stops at once.
                state.started(process.processIdentifier)
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    guard state.markTimedOutIfRunning() else { return }
                    state.kill()
                }
            }
        } onCancel: {
            state.cancel()
        }
        if state.wasCancelled { throw CancellationError() }
        return timedOut
    }
}

/// Coordinates the termination handler, the timeout and cancellation so the continuation resumes exactly once
/// and the process group is killed at most when it still runs.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var expired = false
    private var cancelled = false
    private var pid: Int32?

    var timedOut: Bool { lock.withLock { expired } }
    var wasCancelled: Bool { lock.withLock { cancelled } }

    func finish(_ resume: () -> Void) {
        let first = lock.withLock { () -> Bool in
            if finished { return false }
            finished = true
            return true
        }
        if first { resume() }
    }

    func markTimedOutIfRunning() -> Bool {
        lock.withLock {
            if finished { return false }
            expired = true
            return true
        }
    }

    /// The process runs as `pid`; when the task was cancelled meanwhile, it is killed now.
    func started(_ pid: Int32) {
        let killNow = lock.withLock { () -> Bool in
            self.pid = pid
            return cancelled && !finished
        }
        if killNow { kill() }
    }

    func cancel() {
        let killNow = lock.withLock { () -> Bool in
            cancelled = true
            return pid != nil && !finished
        }
        if killNow { kill() }
    }

    /// Foundation starts the child as leader of its own process group.
    func kill() {
        guard let pid = lock.withLock({ self.pid }) else { return }
        Foundation.kill(-pid, SIGKILL)
        Foundation.kill(pid, SIGKILL)
    }
}
