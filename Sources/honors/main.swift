import App
import Foundation
import NIOCore
import NIOPosix
import Vapor

// When serving on SQLite, Swift concurrency's tasks run on the event loops that serve the requests: a page's
// awaits on the database resume on a loop thread instead of handing over between Dispatch's pool and the loops
// each time (those hand-offs, futex waits and wake-ups, were a fifth of a page's CPU). On PostgreSQL pages were
// slower so (5–20 % in alternating runs on the same data), and commands keep Dispatch's pool: `honors demo`
// prepares a batch while the last one is written, and on the loops the two took turns. Done first, before any
// task runs, so the engine is told by the process's environment (`serve --demo` always runs on SQLite; a
// `DATABASE_URL` only in a `.env` file is not seen this early). See docs/benchmarks.md.
let command = CommandLine.arguments.dropFirst().first
let serving = command == nil || command == "serve" || command?.hasPrefix("-") == true
let onSQLite = (ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty
    || CommandLine.arguments.contains("--demo")
if serving, onSQLite {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

// Answered before anything is set up: the version, and `honors restore` (it writes into an empty data folder,
// before anything would set one up).
if CommandLine.arguments.dropFirst().first == "--version" {
    print(HonorsVersion.line())
    exit(0)
}
if let code = Restore.main(CommandLine.arguments) { exit(code) }

var logging = try Environment.detect()
try LoggingSystem.bootstrap(from: &logging)  // once per process

/// One command of `honors` in an application of its own.
func run(_ arguments: [String]) async -> Int32 {
    do {
        var env = try Environment.detect(arguments: arguments)
        env.arguments = env.arguments.filter { !$0.hasPrefix("--log") }
        let app = try await Application.make(env)
        do {
            try await configure(app)
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            return 1
        }
        try await app.asyncShutdown()
        return 0
    } catch {
        print(error)
        return 1
    }
}

var arguments = CommandLine.arguments
var demoFolder: String?
if DemoServe.asked(arguments) {
    arguments.removeAll { $0 == "--demo" }
    demoFolder = try DemoServe.prepare()
    guard await run([arguments[0], "demo", "--nominations", "\(DemoServe.nominations)"]) == 0 else {
        try? FileManager.default.removeItem(atPath: demoFolder!)
        exit(1)
    }
    print(DemoServe.welcome(folder: demoFolder!))
}
let code = await run(arguments)
if let demoFolder { try? FileManager.default.removeItem(atPath: demoFolder) }
exit(code)
