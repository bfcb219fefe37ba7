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

/// Start and stop of background work: half-written package files left by a stopped instance are removed,
/// the package being built is finished at shutdown and the queued ones are marked to be asked for again.
struct BackgroundWork: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        PackageBuilder.removeAbandonedFiles(app)
        PackageBuilder.removeExpiredFiles(app)
        TemporaryFiles.removeLeftovers()
        StoredFiles.removeAbandonedWrites(app)
        do { try await StoredFiles.removeUnnamed(app, now: app.clock.now()) }
        catch { app.logger.warning("stored files sweep: \(String(reflecting: error))") }
        // Reminders by time (deadline in 3 days, 补正期限 tomorrow) and a re-sealing left unfinished; tests call
        // the sweep themselves.
        guard app.environment != .testing else { return }
        let task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(
            initialDelay: .seconds(20), delay: .minutes(ReminderSweep.interval)
        ) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                PackageBuilder.removeExpiredFiles(app)
                await KeyRotation.resume(app)
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
        app.storage[SweepKey.self] = task
    }

    private struct SweepKey: StorageKey { typealias Value = RepeatedTask }

    func shutdownAsync(_ app: Application) async {
        app.storage[SweepKey.self]?.cancel()
        let abandoned = await app.packages.drain()
        if !abandoned.isEmpty {
            let now = app.clock.now()
            try? await app.write(on: app.db) { db in
                try await PackageJob.query(on: db).filter(\.$id ~~ abandoned)
                    .set(\.$state, to: PackageJob.State.failed.rawValue)
                    .set(\.$note, to: "服务重启，此材料包未生成，请重新生成。").set(\.$updatedAt, to: now).update()
            }
        }
        await app.pdf.shutdown()
    }
}
