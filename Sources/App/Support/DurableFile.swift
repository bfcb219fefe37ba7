import Foundation

/// Files that are either whole or absent, even when the process is killed half-way: the bytes go to a
/// partial file beside the target (created 0600, never readable by anyone else), are flushed to disk, and
/// the partial file is renamed over the target in one step. A killed write leaves only a partial file,
/// whose name carries the writing process, and the next start removes it once that process is gone.
/// A file replaced keeps its owner, group and mode: the key ring rewritten by `honors key rotate` run as root
/// stays readable by the service's own user.
enum DurableFile {
    static let partialMarker = ".partial-"

    static func write(_ data: Data, to path: String) throws {
        let partial = path + partialMarker + "\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        var existing = stat()
        if stat(path, &existing) == 0 {
            // Only root may give a file away; anyone else writes a file of their own, as before.
            _ = fchown(fd, existing.st_uid, existing.st_gid)
            _ = fchmod(fd, existing.st_mode & 0o7777)
        }
        var written = 0
        let whole = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return true
        }
        let flushed = fsync(fd) == 0
        close(fd)
        guard whole, flushed, rename(partial, path) == 0 else {
            unlink(partial)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        // The rename itself reaches the disk with the folder.
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes the partial files in `folder` whose writing process is no longer running (several instances
    /// may share a data folder: a partial file of a live process is a write in progress). Returns how many.
    @discardableResult
    static func removeAbandoned(in folder: String) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for entry in entries {
            guard let marker = entry.range(of: partialMarker, options: .backwards) else { continue }
            let pid = Int32(entry[marker.upperBound...].prefix { $0.isNumber }) ?? 0
            let running = pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH)
            if !running || pid == getpid(), unlink(folder + "/" + entry) == 0 { removed += 1 }
        }
        return removed
    }
}
