import Foundation

/// `honors serve --demo`: for someone who wants to look before deciding. A throwaway data folder (SQLite, in
/// the system's temporary folder) is filled by `honors demo` (its accounts and passwords printed), served as
/// `honors serve` would, and removed when the server stops.
public enum DemoServe {
    public static let nominations = 200

    /// Whether `arguments` ask for it: `honors serve … --demo`.
    public static func asked(_ arguments: [String]) -> Bool {
        arguments.dropFirst().first == "serve" && arguments.contains("--demo")
    }

    /// Makes the folder and points this process at it (and away from any configured PostgreSQL).
    public static func prepare() throws -> String {
        // mkdtemp: a new folder of this user's alone (0700), never one that was there before.
        var template = Array((FileManager.default.temporaryDirectory.path + "/honors-demo-XXXXXXXX").utf8CString)
        let folder = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let folder else { throw CocoaError(.fileWriteUnknown) }
        setenv("HONORS_DATA_DIR", folder, 1)
        unsetenv("DATABASE_URL")
        unsetenv("HONORS_SECRET_KEY")
        unsetenv("HONORS_SECRET_KEY_FILE")
        return folder
    }

    /// What to tell the visitor once the data is in.
    public static func welcome(folder: String) -> String {
        """

        演示数据已就绪（临时文件夹 \(folder)，服务停止后删除）。用上面列出的演示账号登录：
        demo1…demo6 为各行业党委经办人，demoreview 为审核人员，demoadmin 为管理员（首次登录须绑定验证器）。
        Demo data is ready in \(folder) (removed when the server stops); sign in with the accounts listed above.

        """
    }
}
