import Foundation
import Vapor

/// Where Honors finds its templates (`Resources/Views`) and assets (`Public`), wherever it was started from:
/// `HONORS_HOME` when set; else beside the binary (an installed layout, `PREFIX/bin/honors` with
/// `PREFIX/share/honors`, or both in one folder); else the working directory (the repository, `swift run`);
/// else the checkout the binary was built from.
enum HonorsHome {
    /// A folder holding both, checked by one file of each.
    static func holdsResources(_ folder: String) -> Bool {
        let files = FileManager.default
        return files.fileExists(atPath: folder + "/Resources/Views/login.leaf") && files.fileExists(atPath: folder + "/Public/css/app.css")
    }

    /// The folders looked at, in order. In production only the install's own (or `HONORS_HOME`): the working
    /// directory of a service is its data folder, which it may write, and templates must not come from there.
    static func candidates(environment: [String: String], executable: String, workingDirectory: String,
                           production: Bool = false, buildCheckout: String = checkout) -> [String] {
        if let home = environment["HONORS_HOME"], !home.isEmpty { return [home] }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = [binary.deletingLastPathComponent().appendingPathComponent("share/honors").path, binary.path]
        return (production ? installed : installed + [workingDirectory, buildCheckout])
            .map { URL(fileURLWithPath: $0).standardized.path }
    }

    /// The repository this source file sits in, three folders up from `Sources/App/Setup`.
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    struct NotFound: Error, CustomStringConvertible {
        let looked: [String]
        var description: String {
            "找不到页面模板和静态文件（Resources/Views、Public）。已查找：\(looked.joined(separator: "、"))。"
                + "请在安装目录中运行，或设置 HONORS_HOME 指向含有这两个目录的文件夹。"
                + " (templates and assets not found; looked in: \(looked.joined(separator: ", ")); set HONORS_HOME)"
        }
    }

    /// The first folder that holds both, or `NotFound` naming every place looked at.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                       executable: String = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "",
                       workingDirectory: String = DirectoryConfiguration.detect().workingDirectory,
                       production: Bool = false) throws -> String {
        let places = candidates(environment: environment, executable: executable, workingDirectory: workingDirectory,
                                production: production)
        guard let home = places.first(where: holdsResources) else { throw NotFound(looked: places) }
        return home
    }
}
