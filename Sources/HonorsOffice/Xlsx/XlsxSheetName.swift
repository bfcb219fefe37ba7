import Foundation

/// Excel's sheet-name rules, applied in one place so names from user data (committee names) are safe.
public enum XlsxSheetName: Sendable {
    /// Excel's limit, counted in UTF-16 units.
    public static let maximumLength = 31

    /// A legal name: forbidden characters `[ ] : * ? / \` become "_", outer apostrophes and XML-illegal
    /// characters go, at most 31 characters, "History" (reserved) and empty names are replaced, and a
    /// suffix " (2)", " (3)" ... makes it unique against `existing` (compared case-insensitively, as Excel does).
    public static func sanitized(_ raw: String, avoiding existing: some Collection<String> = [String]()) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var name = String(XMLText.sanitized(raw).map { forbidden.contains($0) ? "_" : $0 })
        name = name.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\t", with: " ")
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        name = name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "Sheet" }
        if name.lowercased() == "history" { name = "History_" }
        name = truncated(name, to: maximumLength)

        let taken = Set(existing.map { $0.lowercased() })
        guard taken.contains(name.lowercased()) else { return name }
        var counter = 2
        while true {
            let suffix = " (\(counter))"
            let candidate = truncated(name, to: maximumLength - suffix.utf16.count) + suffix
            if !taken.contains(candidate.lowercased()) { return candidate }
            counter += 1
        }
    }

    /// Cuts whole characters so the UTF-16 length fits; never splits a surrogate pair or emoji.
    private static func truncated(_ name: String, to limit: Int) -> String {
        guard name.utf16.count > limit else { return name }
        var result = ""
        var length = 0
        for character in name {
            let size = character.utf16.count
            if length + size > limit { break }
            result.append(character)
            length += size
        }
        while result.hasSuffix("'") || result.hasSuffix(" ") { result.removeLast() }
        return result.isEmpty ? "Sheet" : result
    }
}
