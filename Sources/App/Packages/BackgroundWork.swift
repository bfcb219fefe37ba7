import Fluent
import HonorsOffice
import NIOCore
import Vapor

extension Application {
    private struct PDFKey: StorageKey { typealias Value = PDFConverterPool }
    private struct RunnerKey: StorageKey { typealias Value = PackageRunner }

    /// LibreOffice conversions, a few at a time on reused profiles.
    var pdf: PDFConverterPool {
        get { storage[PDFKey.self] ?? PDFConverterPool(size: 1) }
        set { storage[PDFKey.self] = newValue }
    }

    /// Builds material packages in the background, one after another.
    var packages: PackageRunner {
        if let runner = storage[RunnerKey.self] { return runner }
        let runner = PackageRunner()
        storage[RunnerKey.self] = runner
        return runner
    }
}

/// Start and stop of background work: half-written package files left by a stopped instance are removed;
/// every few seconds the instance looks for packages to build and for re-sealing to go on with (claimed in
/// the database, so one instance does each, and another takes over from one that died) and, when it has been
/// quiet, hands freed heap back to the system (`HeapTrim`); at shutdown the
/// requests under way are finished, then the package being built goes back to the queue.
struct BackgroundWork: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        PackageBuilder.removeAbandonedFiles(app)
        PackageBuilder.removeExpiredFiles(app)
        TemporaryFiles.removeLeftovers()
        StoredFiles.removeAbandonedWrites(app)
        do { try await StoredFiles.removeUnnamed(app, now: app.clock.now()) }
        catch { app.logger.warning("stored files sweep: \(String(reflecting: error))") }
        // Reminders by time (deadline in 3 days, 补正期限 tomorrow), sweeps and background jobs are the services'
        // work: a command (`honors key rotate`, `honors demo`, a backup) run beside them does none of it. Tests
        // call the sweep themselves.
        guard app.environment != .testing, Self.serving(app) else { return }
        let task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(
            initialDelay: .seconds(20), delay: .minutes(ReminderSweep.interval)
        ) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                PackageBuilder.removeExpiredFiles(app)
                do { try await app.removeExpiredSignIns(now: app.clock.now()) }
                catch { app.logger.warning("sign-in sweep: \(String(reflecting: error))") }
                do { try await app.removeOldCreationKeys(now: app.clock.now()) }
                catch { app.logger.warning("creation keys sweep: \(String(reflecting: error))") }
                do { try await StoredFiles.removeUnnamed(app, now: app.clock.now()) }
                catch { app.logger.warning("stored files sweep: \(String(reflecting: error))") }
                do { try await ReminderSweep.run(app, now: app.clock.now()) }
                catch { app.logger.warning("reminder sweep: \(String(reflecting: error))") }
            }
        }
        // The next run starts when this one has finished: a long re-sealing is never run twice at once here.
        let jobs = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(
            initialDelay: .milliseconds(200), delay: .milliseconds(Int64(app.honors.jobPoll * 1000))
        ) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                await app.packages.wake(app)
                await KeyRotation.resume(app)
                if await !app.packages.isBuilding { app.heapTrim.tick() }
            }
        }
        app.storage[SweepKey.self] = [task, jobs]
    }

    private struct SweepKey: StorageKey { typealias Value = [RepeatedTask] }

    /// `honors serve` (also the default with no command), or the test application.
    static func serving(_ app: Application) -> Bool {
        let command = app.environment.arguments.dropFirst().first
        return command == nil || command == "serve" || command?.hasPrefix("-") == true
    }

    func shutdownAsync(_ app: Application) async {
        // First the HTTP server: it stops taking connections and waits for the requests under way. Vapor
        // would stop it later, among the storage it clears, possibly after the database pools those
        // requests still use are gone; stopped here it stops once, and the later stop finds nothing to do.
        await app.http.server.shared.shutdown()
        app.stopSignal.set()
        // A sweep or a poll under way (a re-sealing batch, a reminder) finishes before the database closes.
        for task in app.storage[SweepKey.self] ?? [] {
            let done = app.eventLoopGroup.next().makePromise(of: Void.self)
            task.cancel(promise: done)
            try? await done.futureResult.get()
        }
        await app.packages.stop()
        await app.pdf.shutdown()
    }
}
