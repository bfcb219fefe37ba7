import Foundation

/// `honors --version`: the release and the commit it was built from. An installed copy carries the commit in
/// `share/honors/BUILD` (written by `scripts/install.sh`); a binary run from its checkout asks git.
public enum HonorsVersion {
    public static let release = "0.9.0"

    /// `honors 0.9.0 (commit 1a2b3c4d, built 2026-12-07)`, or `(commit unknown)`.
    public static func line() -> String { line(home: try? HonorsHome.locate()) }

    static func line(home: String?) -> String {
        let build = home.flatMap { try? String(contentsOfFile: $0 + "/BUILD", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return "honors \(release) (\(build ?? checkoutCommit().map { "commit \($0)" } ?? "commit unknown"))"
    }

    /// The commit of the checkout the binary was built in, when it is still there.
    static func checkoutCommit() -> String? {
        guard FileManager.default.fileExists(atPath: HonorsHome.checkout + "/.git") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", HonorsHome.checkout, "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : nil
    }
}
