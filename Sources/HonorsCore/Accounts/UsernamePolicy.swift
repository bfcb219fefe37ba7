/// Usernames are typed at every sign-in, often on a phone: short ASCII keeps them unambiguous.
public enum UsernamePolicy {
    public static let maximumLength = 32

    /// The normalised username (trimmed, full-width folded, lower-cased) or a Chinese message.
    public static func normalise(_ raw: String) -> Result<String, FieldMessage> {
        // A name people type at every sign-in must be exactly what they see: refuse hidden characters
        // rather than quietly dropping them.
        if raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\t\n\r".unicodeScalars.contains($0) }) {
            return .failure(FieldMessage("用户名不能包含控制字符或不可见字符。"))
        }
        let text = TextInput.halfWidth(TextInput.line(raw)).lowercased()
        if text.isEmpty { return .failure(FieldMessage("请输入用户名。")) }
        if text.count > maximumLength {
            return .failure(FieldMessage("用户名最多 \(maximumLength) 个字符。"))
        }
        if text.count < 3 { return .failure(FieldMessage("用户名至少 3 个字符。")) }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar)
        }
        if !allowed { return .failure(FieldMessage("用户名只能使用英文字母、数字和 . _ - 。")) }
        return .success(text)
    }
}

/// A message shown to the user next to a field.
public struct FieldMessage: Error, Sendable, Equatable {
    public let text: String
    public init(_ text: String) { self.text = text }
}
