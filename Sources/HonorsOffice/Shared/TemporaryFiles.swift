import Foundation

/// What Honors leaves in the temporary folder while it works, and what a killed run left there: removed at
/// the next start. LibreOffice profiles belong to a running process (their folder names it) and go only
/// once that process is gone; everything else goes once it is an hour old, longer than any conversion,
/// scan reading or spreadsheet takes.
public enum TemporaryFiles {
    static let profilesPrefix = "honors-pdf-profiles-"
    /// The working folders and files of conversions, scan readings, helper output and spreadsheets.
    static let workPrefixes = ["honors-office-", "honors-scan-", "honors-run-", "honors-summary-"]

    /// Removes the leftovers; returns how many entries went.
    @discardableResult
    public static func removeLeftovers(in folder: URL = FileManager.default.temporaryDirectory, olderThan age: TimeInterval = 3600,
                                       now: Date = Date()) -> Int {
        let fileManager = FileManager.default
        let entries = (try? fileManager.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        var removed = 0
        for entry in entries {
            let name = entry.lastPathComponent
            let stale: Bool
            if name.hasPrefix(profilesPrefix) {
                let pid = Int32(name.dropFirst(profilesPrefix.count).prefix { $0.isNumber }) ?? 0
                stale = pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH)
            } else if workPrefixes.contains(where: name.hasPrefix) {
                let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? now
                stale = now.timeIntervalSince(modified) > age
            } else {
                stale = false
            }
            if stale, (try? fileManager.removeItem(at: entry)) != nil { removed += 1 }
        }
        return removed
    }
}
