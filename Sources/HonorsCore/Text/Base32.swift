/// RFC 4648 base32, as authenticator apps read a TOTP secret: A–Z and 2–7. Decoding takes what people copy
/// from a screen: lower case, spaces and hyphens between groups, padding or none.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        var out = ""
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[buffer >> (bits - 5) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[buffer << (5 - bits) & 31]) }
        if padded { while out.count % 8 != 0 { out.append("=") } }
        return out
    }

    /// nil for any character outside the alphabet (after spaces, hyphens and padding are dropped).
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.uppercased() where !" -=".contains(character) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5 | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8(buffer >> (bits - 8) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}
