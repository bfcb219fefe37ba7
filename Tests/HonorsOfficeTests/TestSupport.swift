import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HonorsOffice

/// Small fixtures shared by the suites.
enum Fixture {
    /// A valid 1×1 PNG.
    static let png = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    /// Every XML part of a package, parsed by the library's scanner and by libxml2 (through XMLParser),
    /// so a malformed part fails the test that produced it.
    static func parseAllXMLParts(_ package: ZipPackage) throws -> Int {
        var count = 0
        for path in package.paths where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
            _ = try XMLNode.parse(package[path]!, part: path)
            let parser = XMLParser(data: package[path]!)
            guard parser.parse() else {
                throw OfficeError.malformedXML(part: path, reason: String(describing: parser.parserError))
            }
            count += 1
        }
        return count
    }

    static func string(_ package: ZipPackage, _ path: String) -> String {
        package[path].map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Number of non-overlapping occurrences of `needle`.
    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
