import Crypto
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import HonorsOffice
import Leaf
import SQLKit
import Vapor

/// Where the data lives. Production picks from the environment; tests pass their own.
public enum DatabaseChoice: Sendable {
    /// `honors.sqlite` in the data folder (the default, no set-up).
    case sqliteFile(path: String)
    /// A private in-memory database: one per test.
    case sqliteMemory
    /// PostgreSQL at `url`; `schema` keeps a test's tables apart on a shared server, where each test keeps
    /// to fewer connections (`connectionsPerLoop`) so that many at once stay within the server's limit.
    case postgres(url: String, schema: String?, connectionsPerLoop: Int = 4)
}

/// Sets up the application: storage, migrations and seed, security middleware, views, routes, commands.
/// Runs before every command, so `serve`, `user create` and `demo` all work on a fresh data folder.
public func configure(_ app: Application, database: DatabaseChoice? = nil, dataDirectory: String? = nil) async throws {
    var settings = HonorsSettings.fromEnvironment()
    if let dataDirectory { settings.dataDirectory = dataDirectory }
    if app.environment == .testing { settings.bcryptCost = 4 }
    app.honors = settings

    app.pdf = PDFConverterPool(size: settings.pdfWorkers)
    let choice = try database ?? defaultDatabase(settings)
    try await useDatabase(choice, app: app)
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))

    // Metrics are collected from the first request on (swift-metrics takes its factory once per process).
    _ = HonorsMetrics.registry
    // Templates and assets wherever Honors was started from; a server without them refuses to start, saying
    // where it looked, rather than answer every page with an error.
    do {
        app.directory = DirectoryConfiguration(workingDirectory: try HonorsHome.locate(production: app.environment == .production))
    } catch {
        if BackgroundWork.serving(app) { throw error }
    }
    app.leaf.cache.isEnabled = !settings.templateReload
    app.views.use { $0.templates }
    app.routes.defaultMaxBodySize = "1mb"
    // SIGTERM: stop taking connections and let the requests under way finish (a form's PDF can take a while
    // on a busy machine). Vapor's 10 s would close the database under a request still running; the systemd
    // unit in deploy/ waits 180 s.
    app.http.server.configuration.shutdownTimeout = .seconds(50)

    app.middleware = Middlewares()
    // Security headers outermost, so error pages carry them too.
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(HeapTrim.Counter(heap: app.heapTrim))
    _ = app.referenceCache
    app.middleware.use(ErrorPage())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    // Made before any request can race to make them: each must exist once.
    _ = app.writeGate
    app.apiRateLimiter = APIRateLimiter(perMinute: settings.apiRate, burst: max(1, settings.apiRate / 2))
    _ = app.scanSlots
    _ = app.instanceName

    registerMigrations(app)
    try await app.startingAlone {
        try await app.autoMigrate()
        // The key is checked against the stored data before anything else can read or write it. Tests get a
        // key of their own unless they name one.
        let keys = SecretKeySource.locate(settings: app.honors)
        app.secretKeys = app.environment == .testing && keys.origin != .environment
            ? SecretKeys(SecretBox(masterKey: SymmetricKey(size: .bits256)), source: nil)
            : SecretKeys(try await keys.open(on: app.db), source: keys)
        try await Bootstrap.run(app)
    }
    // Registered after the database: handlers stop in reverse order, so packages finish before it closes.
    app.lifecycle.use(BackgroundWork())
    _ = app.packages  // made now: a request and the first poll would otherwise race to make two

    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(CheckCommand(), as: "check")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(KeyCommand(), as: "key")
    app.asyncCommands.use(TokenCommand(), as: "token")
    try routes(app)
}

private func defaultDatabase(_ settings: HonorsSettings) throws -> DatabaseChoice {
    if let url = settings.databaseURL { return .postgres(url: url, schema: nil) }
    // A new data folder is the service's alone: it holds the database, the key and the uploads.
    try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
    return .sqliteFile(path: settings.dataDirectory + "/honors.sqlite")
}

private func useDatabase(_ choice: DatabaseChoice, app: Application) async throws {
    switch choice {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        // WAL lets pages read while a write is in progress; the setting is stored in the file.
        try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url, let schema, let connectionsPerLoop):
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema {
            configuration.searchPath = [schema]
        }
        // A test's schema shares one server and two cores with every other test at once: its requests may wait
        // longer for a connection than a real server's should.
        let poolTimeout: TimeAmount = schema == nil ? .seconds(10) : .seconds(60)
        app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: connectionsPerLoop,
                                    connectionPoolTimeout: poolTimeout), as: .psql)
        app.databasePoolLimit = connectionsPerLoop * System.coreCount
        if let schema {
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }
}

extension Application {
    /// Instances that start together on one PostgreSQL migrate, open the key and make the first account in
    /// turn: a session-level advisory lock (per schema) on one connection is held while `body` works on
    /// others. SQLite is one process's file, and migrations there take the file's own write lock.
    func startingAlone(_ body: @escaping @Sendable () async throws -> Void) async throws {
        guard !db.isSQLite else { return try await body() }
        try await db.withConnection { connection in
            let sql = connection as! any SQLDatabase
            let key: SQLQueryString = "hashtext('honors start ' || current_schema())"
            try await sql.raw("SELECT pg_advisory_lock(\(key))").run()
            do {
                try await body()
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(\(key))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(\(key))").run()
        }
    }
}

/// Every migration, in order. New ones go at the end, before the seed, named `CreateX` or `UpdateXAddY`.
func registerMigrations(_ app: Application) {
    app.migrations.add(CreateCommittee())
    app.migrations.add(CreateCampaign())
    app.migrations.add(CreateCampaignQuota())
    app.migrations.add(CreateUser())
    app.migrations.add(CreateUserSession())
    app.migrations.add(CreateAuditEvent())
    app.migrations.add(CreateNomination())
    app.migrations.add(CreateQuotaRequest())
    app.migrations.add(CreateDeadlineExtension())
    app.migrations.add(CreatePackageJob())
    app.migrations.add(UpdateNominationAddCommitteeOrderIndex())
    app.migrations.add(UpdateNominationAddReview())
    app.migrations.add(UpdateCampaignAddRequireScan())
    app.migrations.add(UpdateAuditEventAddObjectIndex())
    app.migrations.add(CreateNominationScan())
    app.migrations.add(CreateIntegrityReply())
    app.migrations.add(CreateNominationReview())
    app.migrations.add(CreateReviewerRecusal())
    app.migrations.add(CreateNotification())
    app.migrations.add(UpdateAuditEventAddChain())
    app.migrations.add(UpdateNominationAddSecretKey())
    app.migrations.add(UpdateNominationAddCreationKey())
    app.migrations.add(CreateCreationKey())
    app.migrations.add(UpdateUserAddReveal())
    app.migrations.add(CreateSignInAttempt())
    app.migrations.add(UpdateNominationAddFingerprintSalt())
    app.migrations.add(CreateSecondFactor())
    app.migrations.add(UpdateUserDropLockColumns())
    app.migrations.add(CreateCalendarYear())
    app.migrations.add(CreatePublicity())
    app.migrations.add(CreateNominationTally())
    app.migrations.add(CreateNominationNameIndex())
    app.migrations.add(CreateJobLease())
    app.migrations.add(CreateNominationComposition())
    app.migrations.add(UpdateNominationAddListIndexes())
    app.migrations.add(UpdateAuditEventAddFilterIndexes())
    app.migrations.add(CreateAPIToken())
    app.migrations.add(UpdateNominationTriggersInsertPerStatement())
    app.migrations.add(UpdateCompositionAddTablesIndex())
    app.migrations.add(UpdateCompositionTriggersReadDataOnce())
    app.migrations.add(UpdateLongTextCompressionLZ4())
    app.migrations.add(CreateReferenceGeneration())
    app.migrations.add(CreateNominationFixTally())
    app.migrations.add(CreateCompositionOverall())
    // Last: the seed writes through today's models, so every column they carry must exist by then. A data
    // folder made before it moved here has it recorded as done already.
    app.migrations.add(SeedNotice2024())
}
