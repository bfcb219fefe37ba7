/// One problem found in a nomination, tied to the field key of fields.md so forms can show it
/// next to the right input and imports can name the right column.
public struct FieldIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Errors stop submission; warnings are shown to the committee and to reviewers but do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public let field: String
    public let message: String
    public let severity: Severity

    public init(field: String, message: String, severity: Severity = .error) {
        self.field = field
        self.message = message
        self.severity = severity
    }

    public static func error(_ field: String, _ message: String) -> FieldIssue {
        FieldIssue(field: field, message: message, severity: .error)
    }

    public static func warning(_ field: String, _ message: String) -> FieldIssue {
        FieldIssue(field: field, message: message, severity: .warning)
    }

    public var isError: Bool { severity == .error }
    public var description: String { "\(field) [\(severity.rawValue)] \(message)" }
}

extension Array where Element == FieldIssue {
    /// True when submission must be refused.
    public var hasErrors: Bool { contains { $0.isError } }

    /// The issues of one field, for rendering beside its input.
    public func on(_ field: String) -> [FieldIssue] { filter { $0.field == field } }
}
