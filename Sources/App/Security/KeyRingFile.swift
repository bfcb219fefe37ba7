import Crypto
import Foundation

/// The key file: one master key per line (base64 of 32 bytes), the current key first, older keys after it;
/// lines starting with `#` are comments. A file of one line, as Honors wrote before key rings, is a ring of
/// one. `HONORS_SECRET_KEY` holds the same keys separated by commas.
enum KeyRingFile {
    struct Damaged: Error {}

    static let header = """
        # Honors 密钥环：第一行是当前密钥（新数据用它加密），其余行只用于打开旧数据，直至 honors key retire 移除。
        # 不要手工修改；请与数据库备份分开保管一份。
        """

    static func parse(_ text: String) throws -> [SymmetricKey] {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !lines.isEmpty else { throw Damaged() }
        return try lines.map { line in
            guard let data = Data(base64Encoded: line), data.count == 32 else { throw Damaged() }
            return SymmetricKey(data: data)
        }
    }

    static func render(_ keys: [SymmetricKey]) -> String {
        ([header] + keys.map(encoded)).joined(separator: "\n") + "\n"
    }

    /// The keys as `HONORS_SECRET_KEY` takes them.
    static func environmentValue(_ keys: [SymmetricKey]) -> String {
        keys.map(encoded).joined(separator: ",")
    }

    static func encoded(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    /// Replaces the ring file in one step (`DurableFile`): a crash leaves either the old ring or the new one,
    /// never half of either.
    static func replace(_ path: String, with keys: [SymmetricKey]) throws {
        try DurableFile.write(Data(render(keys).utf8), to: path)
    }

    /// What tells a changed file from the one already read: inode, size and modification time.
    struct Stamp: Equatable, Sendable {
        let inode: UInt64
        let size: Int64
        let modified: Int64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
    }
}
