/// What a printed approval form shows, as the text its fingerprint is taken over: every field of the
/// category's form, the committee's opinion block and the photo. A signed scan is pinned to the fingerprint;
/// any change of these makes the scan stale. The alliance's opinion is not in it: it is written after the
/// committee signed. (App hashes the text: SHA-256, the first `bytes` bytes as lowercase hex digits.)
///
/// Layout, version 1: `category=<category>\n`, then for each key of `printedKeys` in order
/// `<key>=<value>\n` (values as stored, ID number and phone opened), then `photo=<stored photo name>`; the
/// photo's stored name is the SHA-256 of its content, so a new photo is a new fingerprint.
///
/// Version 2 puts `salt=<the nomination's salt>\n` first. The fingerprint is shown to people who see the ID
/// number and phone masked; without a secret in it, trying each number the mask leaves against it would undo
/// the mask. The salt is random per nomination, kept in the database, never shown. Rows saved before it keep
/// version 1 (their printed and scanned forms still match) until their next save.
public enum FormFingerprint {
    /// Bytes of the digest kept: 8, printed as 16 hex digits.
    public static let bytes = 8

    public static func printedKeys(for category: NominationCategory) -> [String] {
        (NominationForm.fields(for: category) + NominationForm.committeeFields).map(\.key)
    }

    public static func canonicalText(category: NominationCategory, values: [String: String], photo: String?,
                                     salt: String?) -> String {
        var text = salt.map { "salt=\($0)\n" } ?? ""
        text += "category=\(category.rawValue)\n"
        for key in printedKeys(for: category) {
            text += "\(key)=\(values[key] ?? "")\n"
        }
        return text + "photo=\(photo ?? "")"
    }
}
