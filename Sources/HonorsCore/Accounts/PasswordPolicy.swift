/// What makes a password acceptable.
///
/// bcrypt reads only the first 72 bytes (24 Chinese characters), so longer passwords are refused rather
/// than silently truncated: two passwords sharing those bytes would otherwise both open the account.
public enum PasswordPolicy {
    public static let minimumCharacters = 8
    public static let maximumBytes = 72

    /// The problem with `password`, in Chinese, or nil when it is acceptable.
    public static func problem(with password: String) -> String? {
        if password.isEmpty { return "请输入密码。" }
        if password.utf8.count > maximumBytes {
            return "密码过长：最多 \(maximumBytes) 个字节（约 \(maximumBytes) 个英文字母或数字，或 24 个汉字），当前 \(password.utf8.count) 个字节。"
        }
        if password.count < minimumCharacters { return "密码至少 \(minimumCharacters) 位。" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "密码不能包含控制字符。"
        }
        let hasLetter = password.unicodeScalars.contains { $0.properties.isAlphabetic && !$0.properties.numericType.isSome }
        let hasDigit = password.unicodeScalars.contains { ("0"..."9").contains($0) }
        if !hasLetter || !hasDigit { return "密码须同时包含字母和数字。" }
        return nil
    }
}

private extension Optional {
    var isSome: Bool { self != nil }
}
