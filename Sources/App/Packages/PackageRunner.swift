import Foundation
import Vapor

/// Builds this instance's share of the package queue (`PackageQueue`) off the request, one package at a
/// time, so a campaign-wide package cannot starve the pages other users are waiting for.
actor PackageRunner {
    private var worker: Task<Void, Never>?
    /// Woken while the worker was busy: it looks once more before it stops.
    private var wokenAgain = false
    /// Set by `stop`: a poll that fired just before the shutdown claims nothing more.
    private var stopping = false

    /// A package is being built here now.
    var isBuilding: Bool { worker != nil }

    /// Looks for waiting packages now: when one is asked for here, and on every instance's poll.
    func wake(_ app: Application) {
        guard !stopping else { return }
        guard worker == nil else {
            wokenAgain = true
            return
        }
        worker = Task.detached { [weak app] in
            repeat {
                while !Task.isCancelled, let app {
                    let next: Int?
                    do { next = try await PackageQueue.claimNext(app) } catch {
                        app.logger.warning("package queue: \(String(reflecting: error))")
                        break
                    }
                    guard let next else { break }
                    await PackageBuilder(app: app, jobID: next).run()
                }
            } while await self.goOn()
        }
    }

    private func goOn() -> Bool {
        if wokenAgain && !Task.isCancelled && !stopping {
            wokenAgain = false
            return true
        }
        worker = nil
        return false
    }

    /// Waits until no package waits: for tests.
    func waitUntilIdle() async {
        while let worker { await worker.value }
    }

    /// For shutdown: the package being built is put back in the queue for another instance (or this one's
    /// next start), and nothing more is claimed.
    func stop() async {
        stopping = true
        worker?.cancel()
        while let worker { await worker.value }
    }
}
