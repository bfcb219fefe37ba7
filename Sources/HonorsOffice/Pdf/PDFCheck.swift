import Foundation

/// What an uploaded PDF must not be: one that acts when opened (scripts, launching programs, embedded files,
/// forms that submit or run code), one that is encrypted, or one of more pages than a scan can have.
///
/// The bytes are read as PDF syntax: names are decoded (`/J#61vaScript` is `/JavaScript`) and stream
/// contents skipped, so image data that happens to spell a name does not refuse a scan. Names inside
/// compressed object streams are beyond a byte scan: `ScanReader.pdfInfo` (poppler) reports those.
public enum PDFCheck {
    public enum Problem: Sendable, Equatable {
        case active(String)
        case encrypted
        case tooManyPages(Int)
    }

    /// Names of actions and contents that run or carry something besides the page.
    static let activeNames: Set<String> = ["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia",
                                           "XFA", "SubmitForm", "ImportData"]

    /// The first problem the file's own syntax shows, nil for none.
    public static func problem(in data: Data) -> Problem? {
        data.withUnsafeBytes { raw -> Problem? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "/") {
                    index += 1
                    var name: [UInt8] = []
                    while index < count, !isDelimiter(bytes[index]), name.count < 128 {
                        if bytes[index] == UInt8(ascii: "#"), index + 2 < count,
                           let value = UInt8(String(decoding: [bytes[index + 1], bytes[index + 2]], as: UTF8.self), radix: 16) {
                            name.append(value)
                            index += 3
                        } else {
                            name.append(bytes[index])
                            index += 1
                        }
                    }
                    let text = String(decoding: name, as: UTF8.self)
                    if text == "Encrypt" { return .encrypted }
                    if activeNames.contains(text) { return .active(text) }
                } else if byte == UInt8(ascii: "s"), matches("stream", at: index, in: bytes),
                          index + 6 < count, bytes[index + 6] == 0x0D || bytes[index + 6] == 0x0A,
                          index == 0 || isDelimiter(bytes[index - 1]) {
                    // A stream's data: skip to its `endstream`.
                    index += 6
                    while index < count, !(bytes[index] == UInt8(ascii: "e") && matches("endstream", at: index, in: bytes)) { index += 1 }
                    index += 9
                } else if byte == UInt8(ascii: "%") {
                    // A comment runs to the end of the line.
                    while index < count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
                } else {
                    index += 1
                }
            }
            return nil
        }
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }

    private static func matches(_ word: StaticString, at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        let pointer = word.utf8Start
        for offset in 0..<length where bytes[index + offset] != pointer[offset] { return false }
        return true
    }
}
