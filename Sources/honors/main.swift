import App
import Vapor

// `honors restore` writes into an empty data folder, before anything would set one up.
if let code = Restore.main(CommandLine.arguments) { exit(code) }

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
do {
    try await configure(app)
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
