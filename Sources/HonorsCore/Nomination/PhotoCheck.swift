import Foundation

/// The image types accepted for 二寸免冠照片, told apart by content, never by file name.
public enum ImageFormat: String, Sendable, Hashable, Codable {
    case jpeg
    case png

    public var mimeType: String { self == .jpeg ? "image/jpeg" : "image/png" }
    public var fileExtension: String { self == .jpeg ? "jpg" : "png" }
}

/// What a photo upload holds. `width` and `height` are as displayed, after the EXIF rotation that
/// phone cameras record instead of turning the pixels.
public struct PhotoInfo: Sendable, Hashable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    public let byteCount: Int
}

public enum PhotoError: Error, Sendable, Hashable {
    case empty
    case tooLarge(bytes: Int)
    /// Content of another kind; `detected` names it when known (PDF, GIF, …).
    case notAnImage(detected: String?)
    /// Looks like JPEG or PNG but the size cannot be read: cut off or damaged.
    case unreadable
    /// The header announces more pixels than a photo needs: refused before anything decodes it.
    case tooManyPixels(width: Int, height: Int)

    public var message: String {
        switch self {
        case .empty:
            "照片文件是空的"
        case .tooLarge(let bytes):
            String(format: "照片为 %.1f MB，超过 5 MB，请压缩后再上传", Double(bytes) / 1_048_576)
        case .notAnImage(let detected?):
            "文件内容是 \(detected)，不是照片，请上传 JPEG 或 PNG 格式的照片"
        case .notAnImage(nil):
            "文件不是 JPEG 或 PNG 格式的照片"
        case .unreadable:
            "照片文件不完整或已损坏，请重新导出后上传"
        case .tooManyPixels(let width, let height):
            "照片为 \(width)×\(height) 像素，尺寸过大（上限 \(PhotoCheck.maxPixels / 1_000_000) 百万像素），请缩小后再上传"
        }
    }
}

public enum PhotoCheck {
    public static let maxBytes = 5 * 1024 * 1024
    /// A 二寸 photo at 600 dpi is under 1 megapixel; 25 leaves room for any camera, and none for a
    /// decompression bomb (a small file that claims 100 000 × 100 000).
    public static let maxPixels = 25_000_000
    /// 二寸照片 35 mm × 49 mm.
    public static let recommendedAspect = 35.0 / 49.0
    /// Relative difference from 35:49 beyond which the print would crop or stretch visibly.
    public static let aspectTolerance = 0.10

    /// Format and size of the image, or why it cannot be used. `maxBytes` nil reads an image of any size
    /// (a scanned page, whose limit is the scan's).
    public static func inspect(_ data: Data, maxBytes: Int? = PhotoCheck.maxBytes) throws(PhotoError) -> PhotoInfo {
        guard !data.isEmpty else { throw .empty }
        if let maxBytes, data.count > maxBytes { throw .tooLarge(bytes: data.count) }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            // The IHDR chunk comes first: length(4) "IHDR" width(4) height(4).
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { throw .unreadable }
            let w = be32(bytes, 16), h = be32(bytes, 20)
            guard w > 0, h > 0 else { throw .unreadable }
            if maxBytes != nil, !fits(w, h, within: maxPixels) { throw .tooManyPixels(width: w, height: h) }
            return PhotoInfo(format: .png, width: w, height: h, byteCount: bytes.count)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            guard let (w, h, turned) = jpegSize(bytes), w > 0, h > 0 else { throw .unreadable }
            if maxBytes != nil, !fits(w, h, within: maxPixels) { throw .tooManyPixels(width: w, height: h) }
            return PhotoInfo(format: .jpeg, width: turned ? h : w, height: turned ? w : h, byteCount: bytes.count)
        }
        throw .notAnImage(detected: otherKind(bytes))
    }

    /// The check forms and imports run: errors refuse the file, a far-off aspect ratio only warns.
    public static func check(_ data: Data, field: String = "photo") -> (info: PhotoInfo?, issues: [FieldIssue]) {
        do {
            let info = try inspect(data)
            let aspect = Double(info.width) / Double(info.height)
            guard abs(aspect / recommendedAspect - 1) > aspectTolerance else { return (info, []) }
            return (info, [.warning(field, "照片为 \(info.width)×\(info.height) 像素，宽高比与二寸照片 35:49 相差较大，打印时会被裁切或变形，建议重新裁剪")])
        } catch {
            return (nil, [.error(field, error.message)])
        }
    }

    /// Walks the JPEG markers to the first SOFn frame header; also reports an EXIF rotation by 90°.
    static func jpegSize(_ b: [UInt8]) -> (Int, Int, Bool)? {
        var i = 2
        var turned = false
        while i + 3 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }                       // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue } // no length
            if marker == 0xD9 || marker == 0xDA { return nil }            // end or scan before any frame
            let length = be16(b, i + 2)
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            let body = i + 4
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 8 else { return nil }
                return (be16(b, body + 3), be16(b, body + 1), turned)
            }
            if marker == 0xE1, let orientation = exifOrientation(Array(b[body..<(i + 2 + length)])) {
                turned = (5...8).contains(orientation)
            }
            i += 2 + length
        }
        return nil
    }

    /// Tag 0x0112 of IFD0 in an APP1 "Exif" segment.
    static func exifOrientation(_ s: [UInt8]) -> Int? {
        guard s.count >= 14, s.starts(with: Array("Exif\0\0".utf8)) else { return nil }
        let t = Array(s[6...])
        let little: Bool
        switch (t[0], t[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ o: Int) -> Int? {
            guard o + 1 < t.count else { return nil }
            return little ? Int(t[o]) | Int(t[o + 1]) << 8 : Int(t[o]) << 8 | Int(t[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let hi = u16(little ? o + 2 : o), let lo = u16(little ? o : o + 2) else { return nil }
            return hi << 16 | lo
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for n in 0..<count {
            let entry = ifd + 2 + n * 12
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 { return u16(entry + 8) }
        }
        return nil
    }

    /// Names common wrong uploads so the message can say what the file really is.
    static func otherKind(_ b: [UInt8]) -> String? {
        if b.starts(with: Array("%PDF".utf8)) { return "PDF" }
        if b.starts(with: Array("GIF8".utf8)) { return "GIF" }
        if b.starts(with: Array("BM".utf8)) { return "BMP" }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return "WebP" }
        if b.count >= 12, Array(b[4..<8]) == Array("ftyp".utf8),
           ["heic", "heix", "mif1", "msf1", "heif"].contains(String(decoding: b[8..<12], as: UTF8.self)) { return "HEIC" }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "压缩包或 Word 文档" }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "Office 文档" }
        return nil
    }

    static func be16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) << 8 | Int(b[o + 1]) }
    /// `width × height ≤ limit`, without multiplying: a header may claim 4 294 967 295 on each side.
    public static func fits(_ width: Int, _ height: Int, within limit: Int) -> Bool {
        width > 0 && height > 0 && width <= limit / height
    }

    static func be32(_ b: [UInt8], _ o: Int) -> Int { be16(b, o) << 16 | be16(b, o + 2) }
}
