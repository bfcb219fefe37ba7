import Foundation
import Vapor

/// Runs package builds off the request, one at a time per instance, so a campaign-wide package cannot
/// starve the pages other users are waiting for; later requests queue behind it.
actor PackageRunner {
    private var queue: [Int] = []
    private var worker: Task<Void, Never>?

    /// Queues a job; the caller's request returns at once.
    func start(_ jobID: Int, app: Application) {
        queue.append(jobID)
        guard worker == nil else { return }
        worker = Task.detached { [weak app] in
            while let next = await self.next() {
                guard let app else { return }
                await PackageBuilder(app: app, jobID: next).run()
            }
        }
    }

    private func next() -> Int? {
        guard !queue.isEmpty else {
            worker = nil
            return nil
        }
        return queue.removeFirst()
    }

    /// Waits until every queued package is built: for tests.
    func waitUntilIdle() async {
        while let worker { await worker.value }
    }

    /// For shutdown: lets the package being built finish, and hands back the queued ones, which will not run.
    func drain() async -> [Int] {
        let abandoned = queue
        queue.removeAll()
        while let worker { await worker.value }
        return abandoned
    }
}
