@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Background jobs on a database shared by several instances: each package and the re-sealing is done by
/// one instance at a time, and one that stops showing life (its lease runs out) is taken over.
@Suite("Job claims")
struct JobClaimTests {
    /// A package job as another instance would have left it.
    static func job(_ app: Application, state: PackageJob.State, claimedBy: String?, leaseUntil: Date?, attempts: Int = 1) async throws -> Int {
        let job = PackageJob()
        job.$campaign.id = 1
        job.requestedBy = "kuaidi"
        job.withPDF = false
        job.fullPersonalData = false
        job.state = state.rawValue
        job.done = 0
        job.total = 0
        job.updatedAt = app.clock.now()
        job.claimedBy = claimedBy
        job.leaseUntil = leaseUntil
        job.attempts = attempts
        try await job.create(on: app.db)
        return try job.requireID()
    }

    @Test("a package left running before leases existed (no lease) is taken over once its last sign of life is older than a lease")
    func runningWithoutLease() async throws {
        try await withHonorsApp { app, clock in
            let old = try await Self.job(app, state: .running, claimedBy: nil, leaseUntil: nil)
            #expect(try await PackageQueue.claimNext(app) == nil, "it showed life just now")
            clock.advance(by: app.honors.jobLease + 1)
            #expect(try await PackageQueue.claimNext(app) == old)
        }
    }

    @Test("only the service polls for background jobs: a command run beside it does not")
    func onlyTheServicePolls() async throws {
        try await withHonorsApp { app, _ in
            for (arguments, serving) in [(["honors"], true), (["honors", "serve", "--port", "8081"], true),
                                         (["honors", "key", "rotate"], false), (["honors", "demo"], false),
                                         (["honors", "backup", "--to", "x"], false)] {
                app.environment.arguments = arguments
                #expect(BackgroundWork.serving(app) == serving, "\(arguments)")
            }
        }
    }

    @Test("the oldest queued package is claimed once; a running one is left to its instance until its lease runs out, then taken over")
    func packageClaims() async throws {
        try await withHonorsApp { app, clock in
            let now = clock.now()
            let other = "elsewhere:1:abcd"
            let alive = try await Self.job(app, state: .running, claimedBy: other, leaseUntil: now.addingTimeInterval(30))
            let first = try await Self.job(app, state: .queued, claimedBy: nil, leaseUntil: nil, attempts: 0)
            let second = try await Self.job(app, state: .queued, claimedBy: nil, leaseUntil: nil, attempts: 0)

            #expect(try await PackageQueue.claimNext(app) == first)
            #expect(try await PackageQueue.claimNext(app) == second)
            #expect(try await PackageQueue.claimNext(app) == nil, "the other instance is still renewing its claim")
            let claimed = try #require(try await PackageJob.find(first, on: app.db))
            #expect(claimed.stateValue == .running && claimed.claimedBy == app.instanceName && claimed.attempts == 1)
            #expect(abs((claimed.leaseUntil ?? .distantPast).timeIntervalSince(now) - app.honors.jobLease) < 0.01)

            clock.advance(by: 31)
            #expect(try await PackageQueue.claimNext(app) == alive, "its instance stopped showing life")
            let taken = try #require(try await PackageJob.find(alive, on: app.db))
            #expect(taken.claimedBy == app.instanceName && taken.attempts == 2)

            // Stopping puts a claimed package back in the queue; another instance's claim is not touched.
            try await PackageQueue.release(app, jobID: first)
            let released = try #require(try await PackageJob.find(first, on: app.db))
            #expect(released.stateValue == .queued && released.claimedBy == nil && released.attempts == 0)
            let foreign = try await Self.job(app, state: .running, claimedBy: other, leaseUntil: clock.now().addingTimeInterval(30))
            try await PackageQueue.release(app, jobID: foreign)
            #expect(try await PackageJob.find(foreign, on: app.db)?.claimedBy == other)
        }
    }

    @Test("a package whose builds brought its instance down three times is failed with a note, not tried again")
    func poisonPackage() async throws {
        try await withHonorsApp { app, clock in
            let id = try await Self.job(app, state: .running, claimedBy: "elsewhere:1:abcd",
                                        leaseUntil: clock.now().addingTimeInterval(-1), attempts: PackageQueue.maxAttempts)
            #expect(try await PackageQueue.claimNext(app) == nil)
            let job = try #require(try await PackageJob.find(id, on: app.db))
            #expect(job.stateValue == .failed && job.claimedBy == nil)
            #expect(job.note?.contains("多次生成未能完成") == true)
        }
    }

    @Test("a package asked for is built by the instance's runner and leaves no claim behind it")
    func builtThroughTheQueue() async throws {
        try await withHonorsApp { app, _ in
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Samples.idNumber(sequence: 311)))
            let id = try await PackageTests.build(kuaidi, app: app)
            let job = try #require(try await PackageJob.find(id, on: app.db))
            #expect(job.stateValue == .done && job.attempts == 1 && job.claimedBy == app.instanceName)
            #expect(FileManager.default.fileExists(atPath: PackageBuilder.file(app, jobID: id).path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: PackageBuilder.folder(app).path)
                .filter { $0.hasSuffix(".partial") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("the re-sealing lease: held by one instance, refused to another until it runs out, given back when done")
    func resealLease() async throws {
        try await withHonorsApp { app, clock in
            _ = try await KeyRotationTests.fileRing(app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Samples.idNumber(sequence: 313)))
            _ = try await KeyRotation.rotate(app)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("""
                INSERT INTO leases (name, holder, until)
                VALUES ('key-reseal', 'elsewhere:1:abcd', \(bind: clock.now().addingTimeInterval(20)))
                """).run()
            #expect(try await Lease.held(name: "key-reseal", app: app))
            let refused = await #expect(throws: KeyRotation.Refusal.self) { try await KeyRotation.reseal(app) }
            #expect(refused?.description.contains("另一个实例正在重新加密") == true)
            await KeyRotation.resume(app)
            #expect(try await KeyRotation.pending(on: app.db, older: app.secrets.olderKeyIDs) == 1, "the sweep leaves it to the holder")

            clock.advance(by: 21)
            #expect(try await !Lease.held(name: "key-reseal", app: app))
            await KeyRotation.resume(app)
            #expect(try await KeyRotation.pending(on: app.db, older: app.secrets.olderKeyIDs) == 0, "taken over once it ran out")
            let left = try await sql.raw("SELECT holder FROM leases").all()
            #expect(left.isEmpty, "given back when done")
        }
    }

    @Test("an instance that begins to stop leaves the re-sealing at its next step and gives the lease back for another")
    func resealStopping() async throws {
        try await withHonorsApp { app, _ in
            _ = try await KeyRotationTests.fileRing(app)
            let kuaidi = try await NominationTests.operatorOf("市快递行业党委", "kuaidi", app: app)
            _ = try await NominationTests.create(kuaidi, Samples.memberForm(name: "张伟", id: Samples.idNumber(sequence: 313)))
            _ = try await KeyRotation.rotate(app)
            app.stopSignal.set()
            await #expect(throws: CancellationError.self) { try await KeyRotation.reseal(app) }
            await KeyRotation.resume(app)
            #expect(try await KeyRotation.pending(on: app.db, older: app.secrets.olderKeyIDs) == 1, "left for another instance")
            let left = try await (app.db as! any SQLDatabase).raw("SELECT holder FROM leases").all()
            #expect(left.isEmpty, "the lease given back at once, not held until it runs out")
        }
    }
}
