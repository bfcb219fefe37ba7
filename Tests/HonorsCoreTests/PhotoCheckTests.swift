import Foundation
import Testing
@testable import HonorsCore

/// Images are built byte by byte: only the headers matter to the check.
@Suite struct PhotoCheckTests {
    static func png(width: Int, height: Int) -> Data {
        var b: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        b += Array("IHDR".utf8) + be32(width) + be32(height) + [8, 2, 0, 0, 0] + [0, 0, 0, 0]
        return Data(b)
    }

    /// SOI, APP0 (JFIF), optional APP1 (EXIF orientation), DQT, SOF (baseline or progressive), EOI.
    static func jpeg(width: Int, height: Int, orientation: Int? = nil, sof: UInt8 = 0xC0) -> Data {
        var b: [UInt8] = [0xFF, 0xD8]
        b += [0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        if let orientation {
            // Big-endian TIFF, IFD0 at 8 with one entry: 0x0112 SHORT 1 = orientation.
            let tiff: [UInt8] = Array("MM".utf8) + [0, 42] + be32(8) + [0, 1] + [0x01, 0x12, 0, 3] + be32(1)
                + [0, UInt8(orientation), 0, 0] + be32(0)
            let body = Array("Exif\0\0".utf8) + tiff
            b += [0xFF, 0xE1] + be16(body.count + 2) + body
        }
        b += [0xFF, 0xDB, 0, 67, 0] + Array(repeating: 1, count: 64)
        b += [0xFF, 0xFF, sof, 0, 17, 8] + be16(height) + be16(width) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        b += [0xFF, 0xD9]
        return Data(b)
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v & 0xFFFF) }

    @Test func pngSizeFromIHDR() throws {
        let info = try PhotoCheck.inspect(Self.png(width: 413, height: 579))
        #expect(info == PhotoInfo(format: .png, width: 413, height: 579, byteCount: 33))
        #expect(PhotoCheck.check(Self.png(width: 413, height: 579)).issues.isEmpty)
    }

    @Test("a header that claims a huge image is refused before anything decodes it, without overflowing")
    func hugeDimensions() throws {
        #expect(throws: PhotoError.tooManyPixels(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF)) {
            try PhotoCheck.inspect(Self.png(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF))
        }
        #expect(throws: PhotoError.tooManyPixels(width: 60_000, height: 60_000)) {
            try PhotoCheck.inspect(Self.jpeg(width: 60_000, height: 60_000))
        }
        #expect(PhotoCheck.check(Self.png(width: 100_000, height: 100_000)).issues.first?.message.contains("尺寸过大") == true)
        #expect(!PhotoCheck.fits(0xFFFF_FFFF, 0xFFFF_FFFF, within: PhotoCheck.maxPixels))
        #expect(PhotoCheck.fits(5000, 5000, within: PhotoCheck.maxPixels))
    }

    @Test func jpegSizeFromSOF() throws {
        let info = try PhotoCheck.inspect(Self.jpeg(width: 358, height: 441))
        #expect(info.format == .jpeg && info.width == 358 && info.height == 441)
        let progressive = try PhotoCheck.inspect(Self.jpeg(width: 390, height: 567, sof: 0xC2))
        #expect(progressive.width == 390 && progressive.height == 567)
        #expect(info.format.mimeType == "image/jpeg")
    }

    @Test func exifRotationSwapsSides() throws {
        // A phone stores a portrait shot as landscape pixels plus "rotate 90°".
        let turned = try PhotoCheck.inspect(Self.jpeg(width: 567, height: 390, orientation: 6))
        #expect(turned.width == 390 && turned.height == 567)
        let upright = try PhotoCheck.inspect(Self.jpeg(width: 567, height: 390, orientation: 1))
        #expect(upright.width == 567 && upright.height == 390)
    }

    @Test func aspectRatioWarning() {
        // 35:49 ≈ 0.714; 390×567 ≈ 0.688 is within 10 %, a square is not.
        #expect(PhotoCheck.check(Self.jpeg(width: 390, height: 567)).issues.isEmpty)
        let square = PhotoCheck.check(Self.jpeg(width: 500, height: 500))
        #expect(square.info?.width == 500)
        #expect(square.issues.map(\.severity) == [.warning])
        #expect(square.issues[0].field == "photo" && square.issues[0].message.contains("35:49"))
        #expect(PhotoCheck.check(Self.png(width: 600, height: 400)).issues.count == 1)
    }

    @Test func otherContentRefusedWhateverTheName() {
        let pdf = Data("%PDF-1.7\n1 0 obj\n".utf8)
        #expect(throws: PhotoError.notAnImage(detected: "PDF")) { try PhotoCheck.inspect(pdf) }
        #expect(PhotoCheck.check(pdf).issues.first?.message.contains("PDF") == true)
        #expect(PhotoCheck.check(pdf).info == nil)
        #expect(throws: PhotoError.notAnImage(detected: "GIF")) { try PhotoCheck.inspect(Data("GIF89a....".utf8)) }
        #expect(throws: PhotoError.notAnImage(detected: nil)) { try PhotoCheck.inspect(Data("hello".utf8)) }
        #expect(throws: PhotoError.empty) { try PhotoCheck.inspect(Data()) }
    }

    @Test func truncatedImagesRefused() {
        let cut = Self.jpeg(width: 390, height: 567).prefix(30)
        #expect(throws: PhotoError.unreadable) { try PhotoCheck.inspect(Data(cut)) }
        #expect(throws: PhotoError.unreadable) { try PhotoCheck.inspect(Self.png(width: 1, height: 1).prefix(20)) }
        #expect(throws: PhotoError.unreadable) { try PhotoCheck.inspect(Self.png(width: 0, height: 10)) }
    }

    @Test func sizeLimit() throws {
        var big = Self.jpeg(width: 390, height: 567)
        let padding = PhotoCheck.maxBytes - big.count
        big.insert(contentsOf: [0xFF, 0xFE] + Self.be16(2), at: 2)   // an empty COM segment keeps it valid
        big.append(Data(count: padding - 4))
        #expect(big.count == 5 * 1024 * 1024)
        #expect(try PhotoCheck.inspect(big).width == 390)
        big.append(0)
        #expect(throws: PhotoError.tooLarge(bytes: 5 * 1024 * 1024 + 1)) { try PhotoCheck.inspect(big) }
        #expect(PhotoError.tooLarge(bytes: 6 * 1024 * 1024).message.contains("5 MB"))
    }
}
