import Foundation

/// An inline picture (e.g. the 二寸免冠照片): the bytes plus the size it is shown at. Sizes are in EMU
/// because that is what DrawingML stores; the helpers convert from centimetres and twips.
public struct DocxImage: Sendable, Equatable {
    /// Image formats Word displays without conversion.
    public enum Format: String, Sendable {
        case png, jpeg

        var fileExtension: String { self == .png ? "png" : "jpeg" }
        var contentType: String { self == .png ? "image/png" : "image/jpeg" }
    }

    /// The original bytes, embedded unchanged.
    public let data: Data
    /// Detected from the bytes, decides the media file's type.
    public let format: Format
    /// Displayed width (360 000 EMU per centimetre).
    public var widthEMU: Int
    /// Displayed height.
    public var heightEMU: Int
    /// Alternative text, read aloud by screen readers.
    public var description: String

    /// Throws `OfficeError.unsupportedImage` unless the bytes are PNG or JPEG.
    public init(data: Data, widthEMU: Int, heightEMU: Int, description: String = "") throws {
        guard let format = DocxImage.format(of: data) else { throw OfficeError.unsupportedImage }
        self.data = data
        self.format = format
        self.widthEMU = max(1, widthEMU)
        self.heightEMU = max(1, heightEMU)
        self.description = description
    }

    /// The image scaled to fit inside a box while keeping its proportions, so an uploaded photo of any
    /// shape fills the photo cell without distortion. Falls back to the box when pixels are unknown.
    public static func fitting(data: Data, maxWidthEMU: Int, maxHeightEMU: Int,
                               description: String = "") throws -> DocxImage {
        guard let (width, height) = pixelSize(of: data), width > 0, height > 0 else {
            return try DocxImage(data: data, widthEMU: maxWidthEMU, heightEMU: maxHeightEMU,
                                 description: description)
        }
        let scale = min(Double(maxWidthEMU) / Double(width), Double(maxHeightEMU) / Double(height))
        return try DocxImage(data: data, widthEMU: Int((Double(width) * scale).rounded()),
                             heightEMU: Int((Double(height) * scale).rounded()), description: description)
    }

    /// EMU per centimetre.
    public static func emu(centimeters: Double) -> Int { Int((centimeters * 360_000).rounded()) }
    /// EMU per twip (1/20 pt), for sizing an image to a table column.
    public static func emu(twips: Int) -> Int { twips * 635 }

    /// Recognises PNG and JPEG by their signatures; file names from uploads cannot be trusted.
    public static func format(of data: Data) -> Format? {
        let bytes = [UInt8](data.prefix(8))
        if bytes.count >= 8, bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        return nil
    }

    /// Pixel dimensions from the PNG header or the JPEG frame header, nil when unreadable.
    public static func pixelSize(of data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data)
        switch format(of: data) {
        case .png:
            guard bytes.count >= 24 else { return nil }
            func be32(_ at: Int) -> Int {
                Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            }
            return (be32(16), be32(20))
        case .jpeg:
            var index = 2
            while index + 9 < bytes.count {
                guard bytes[index] == 0xFF else { index += 1; continue }
                let marker = bytes[index + 1]
                if marker == 0xFF { index += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { index += 2; continue }
                let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                // Start-of-frame markers C0–CF, except DHT (C4), JPG (C8) and DAC (CC).
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                    let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                    return (width, height)
                }
                index += 2 + length
            }
            return nil
        case nil:
            return nil
        }
    }
}
