import Foundation
import HonorsCore

/// Folder and file names inside a package: readable Chinese, nothing a file system refuses.
enum PackageNames {
    static func root(campaign: Campaign, committee: String?) -> String {
        safe("\(campaign.documentNumber) 推荐材料" + (committee.map { "（\($0)）" } ?? "（全部行业党委）"))
    }

    static func nominationFolder(_ nomination: Nomination, committee: String) -> String {
        let category = nomination.categoryValue
        return safe(committee) + "/" + "\(category.attachmentNumber)-\(category.label)" + "/"
            + safe("\(nomination.id ?? 0)-\(nomination.displayName)")
    }

    /// Drops what Windows or zip tools refuse in a name (/ \ : * ? " < > | and control characters), and
    /// keeps names short enough for deep folders.
    static func safe(_ name: String) -> String {
        let forbidden = Set("/\\:*?\"<>|")
        let cleaned = String(TextInput.line(name).map { forbidden.contains($0) ? "_" : $0 })
            .trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return cleaned.isEmpty ? "未命名" : String(cleaned.prefix(60))
    }
}
