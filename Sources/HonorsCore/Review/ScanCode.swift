/// What the QR code in the printed form's footer holds: the nomination, the version printed and the data
/// fingerprint, so a scan of the signed form tells which data it was signed on.
///
/// Text layout, version 1: `HONORS1:<nomination id>:<version>:<fingerprint>`, fingerprint as 16 lowercase
/// hex digits (`FormFingerprint.bytes`). Short, so the code stays small and readable from a 150 dpi scan.
public struct ScanCode: Sendable, Hashable {
    public let nominationID: Int
    public let version: Int
    public let fingerprint: String

    public init(nominationID: Int, version: Int, fingerprint: String) {
        self.nominationID = nominationID
        self.version = version
        self.fingerprint = fingerprint
    }

    static let prefix = "HONORS1"

    public var text: String { "\(Self.prefix):\(nominationID):\(version):\(fingerprint)" }

    /// Reads a decoded QR text; nil for anything that is not one of ours.
    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.prefix,
              let id = Int(parts[1]), id > 0, let version = Int(parts[2]), version >= 0,
              parts[3].count == FormFingerprint.bytes * 2, parts[3].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        self.init(nominationID: id, version: version, fingerprint: String(parts[3]))
    }
}

/// How a nomination's scan relates to its data now.
public enum ScanState: String, Sendable, CaseIterable {
    /// No scan uploaded.
    case none
    /// Signed on the data as it is now.
    case current
    /// Signed on data that has changed since (an edit, a new photo): a new scan is needed.
    case stale

    public init(scanFingerprint: String?, dataFingerprint: String?) {
        guard let scanFingerprint else { self = .none; return }
        self = scanFingerprint == dataFingerprint ? .current : .stale
    }

    public var label: String {
        switch self {
        case .none: "未上传"
        case .current: "与当前数据一致"
        case .stale: "已过期（数据已修改，须重新上传）"
        }
    }
}
