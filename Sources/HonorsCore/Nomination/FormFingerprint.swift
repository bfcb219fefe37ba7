/// What a printed approval form shows, as the text its fingerprint is taken over: every field of the
/// category's form, the committee's opinion block and the photo. A signed scan is pinned to the fingerprint;
/// any change of these makes the scan stale. The alliance's opinion is not in it: it is written after the
/// committee signed. (App hashes the text: SHA-256, the first `bytes` bytes as lowercase hex digits.)
///
/// Layout, version 1: `category=<category>\n`, then for each key of `printedKeys` in order
/// `<key>=<value>\n` (values as stored, ID number and phone opened), then `photo=<stored photo name>`; the
/// photo's stored name is the SHA-256 of its content, so a new photo is a new fingerprint.
public enum FormFingerprint {
    /// Bytes of the digest kept: 8, printed as 16 hex digits.
    public static let bytes = 8

    public static func printedKeys(for category: NominationCategory) -> [String] {
        (NominationForm.fields(for: category) + NominationForm.committeeFields).map(\.key)
    }

    public static func canonicalText(category: NominationCategory, values: [String: String], photo: String?) -> String {
        var text = "category=\(category.rawValue)\n"
        for key in printedKeys(for: category) {
            text += "\(key)=\(values[key] ?? "")\n"
        }
        return text + "photo=\(photo ?? "")"
    }
}
