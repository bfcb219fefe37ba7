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
    /// soffice.bin as a child). Returns whether it timed out.
    public static func run(_ process: Process, timeout: Double) async throws -> Bool {
        let state = RunState()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
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
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard state.markTimedOutIfRunning() else { return }
                // Foundation starts the child as leader of its own process group.
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
    }
}

/// Coordinates the termination handler and the timeout so the continuation resumes exactly once.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var expired = false

    var timedOut: Bool { lock.withLock { expired } }

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
}
