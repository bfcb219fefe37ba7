import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A QR code as a square of modules, made by libqrencode (Debian's libqrencode4), loaded when first needed:
/// a machine without it still serves everything, only the printed forms carry no code, and scans are then
/// matched by hand.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    /// Row by row, `true` for a dark module.
    public let modules: [Bool]

    public init(size: Int, modules: [Bool]) {
        self.size = size
        self.modules = modules
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Whether libqrencode could be loaded on this machine.
    public static var available: Bool { Library.shared != nil }

    /// The code for `text` (8-bit mode, error correction level M), nil without libqrencode.
    public static func encode(_ text: String) -> QRCode? {
        guard let library = Library.shared else { return nil }
        return library.lock.withLock {
            guard let code = text.withCString({ library.encodeString($0, 0, 1 /* QR_ECLEVEL_M */, 2 /* QR_MODE_8 */, 1) })
            else { return nil }
            defer { library.free(code) }
            // struct QRcode { int version; int width; unsigned char *data; }: bit 0 of each byte is "dark".
            let width = Int(code.load(fromByteOffset: 4, as: Int32.self))
            guard width > 0, let data = code.load(fromByteOffset: 8, as: UnsafePointer<UInt8>?.self) else { return nil }
            let modules = (0..<(width * width)).map { data[$0] & 1 == 1 }
            return QRCode(size: width, modules: modules)
        }
    }

    /// A black-on-white PNG, `scale` pixels per module, with a quiet zone of `border` modules.
    public func png(scale: Int = 4, border: Int = 4) -> Data {
        let side = (size + 2 * border) * scale
        var pixels = [Bool](repeating: false, count: side * side)   // true = black
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for dy in 0..<scale {
                    let row = ((y + border) * scale + dy) * side
                    for dx in 0..<scale { pixels[row + (x + border) * scale + dx] = true }
                }
            }
        }
        return PNGWriter.blackAndWhite(width: side, height: side, black: pixels)
    }

    /// libqrencode's two functions, looked up once.
    private final class Library: @unchecked Sendable {
        typealias Encode = @convention(c) (UnsafePointer<CChar>, Int32, Int32, Int32, Int32) -> UnsafeMutableRawPointer?
        typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void
        let encodeString: Encode
        let free: Free
        /// libqrencode keeps some state per call; one encoding at a time is plenty for forms.
        let lock = NSLock()

        init?() {
            let names: [String] = ["libqrencode.so.4", "libqrencode.so", "libqrencode.4.dylib", "libqrencode.dylib"]
            let handle = names.lazy.compactMap { name in dlopen(name, RTLD_NOW) }.first
            guard let handle, let encode = dlsym(handle, "QRcode_encodeString"), let free = dlsym(handle, "QRcode_free")
            else { return nil }
            encodeString = unsafeBitCast(encode, to: Encode.self)
            self.free = unsafeBitCast(free, to: Free.self)
        }

        static let shared = Library()
    }
}
