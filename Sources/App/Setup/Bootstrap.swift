import Fluent
import Foundation
import HonorsCore
import Vapor

/// Start-up work after migrations: the first administrator on an empty system, and the stand-in hash that
/// keeps failed sign-ins for unknown users as slow as for known ones.
enum Bootstrap {
    static func run(_ app: Application) async throws {
        app.dummyPasswordHash = try await app.password.async.hash(AccountService.temporaryPassword())
        try await createFirstAdministrator(app)
    }

    /// With no account at all, creates `admin` with a random one-time password, printed once to the console
    /// and stored only as a bcrypt hash. The account must change it at first sign-in.
    static func createFirstAdministrator(_ app: Application) async throws {
        guard try await User.query(on: app.db).count() == 0 else { return }
        let password = AccountService.temporaryPassword()
        let hash = try await app.password.async.hash(password)
        let service = AccountService(app: app, actor: .commandLine(), now: app.clock.now())
        do {
            _ = try await service.create(username: "admin", displayName: "联盟管理员", role: .admin, committee: nil,
                                         passwordHash: hash, mustChangePassword: true)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return  // Another instance starting at the same moment created it.
        }
        guard app.environment != .testing else { return }
        let banner = """

        ============================================================
        已创建联盟管理员账号 admin，一次性初始密码如下（只显示这一次）：
        The administrator account "admin" was created. One-time password:
        HONORS_INITIAL_ADMIN_PASSWORD=\(password)
        首次登录后必须修改密码。
        ============================================================

        """
        FileHandle.standardOutput.write(Data(banner.utf8))
    }
}
