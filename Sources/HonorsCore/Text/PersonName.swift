/// A person's name as lists show it without revealing it: the family name and a star per other character.
public enum PersonName {
    /// `张三丰` → `张**`; a one-character name shows only a star.
    public static func masked(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return name.count == 1 ? "*" : String(first) + String(repeating: "*", count: name.count - 1)
    }
}
