import Foundation

/// One sheet as read back.
public struct XlsxSheetContents: Sendable {
    /// The tab name, as the importer shows it to the user.
    public var name: String
    /// Hidden sheets usually hold code lists, not data to import.
    public var isHidden: Bool
    /// Rows by position (row 1 is index 0); gaps become empty rows, missing cells empty strings.
    public var rows: [[String]]
    /// Path of the sheet part inside the package, for checks on its XML.
    public var partPath: String
}

/// A workbook as read back.
public struct XlsxContents: Sendable {
    /// Sheets in workbook order.
    public var sheets: [XlsxSheetContents]
    /// The package itself, for checks on other parts.
    public var package: ZipPackage

    /// The sheet with this exact name.
    public subscript(name: String) -> XlsxSheetContents? { sheets.first { $0.name == name } }

    /// The XML of a sheet's part.
    public func sheetXML(_ name: String) -> String? {
        self[name].flatMap { package[$0.partPath] }.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Reads .xlsx files, ours and Excel's: shared strings (rich text included, phonetic runs excluded),
/// inline strings and raw values. Numbers come back as Excel stored them, so an importer can spot an ID
/// number that was saved as a number.
public enum XlsxReader: Sendable {
    /// Unzips and reads every sheet; throws `OfficeError` for non-ZIP or malformed input, and
    /// `OfficeError.tooLarge` past `maximumUnpackedBytes`.
    public static func read(_ data: Data, maximumUnpackedBytes: Int = 256 << 20) throws -> XlsxContents {
        let package = try ZipPackage.read(data, maximumUnpackedBytes: maximumUnpackedBytes)
        let workbookPath = try officeDocumentPath(package)
        let folder = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let workbook = try XMLNode.parse(try package.required(workbookPath), part: workbookPath)
        // A Word or PowerPoint file renamed to .xlsx is a valid package whose main part is not a workbook.
        guard workbook.name == "workbook" else { throw OfficeError.missingPart("xl/workbook.xml") }
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/"
            + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let rels = try XMLNode.parse(try package.required(relsPath), part: relsPath)
        var targets: [String: String] = [:]
        var sharedStringsPath: String?
        for relationship in rels.children("Relationship") {
            guard let id = relationship.attribute("Id"), let target = relationship.attribute("Target") else { continue }
            let path = resolve(target, in: folder)
            targets[id] = path
            if relationship.attribute("Type")?.hasSuffix("/sharedStrings") == true { sharedStringsPath = path }
        }
        let shared = try sharedStringsPath.flatMap { package[$0] }.map { try readSharedStrings($0) } ?? []

        var sheets: [XlsxSheetContents] = []
        for sheet in workbook.child("sheets")?.children("sheet") ?? [] {
            guard let id = sheet.attribute("id"), let path = targets[id] else { continue }
            let rows = try readSheet(try package.required(path), part: path, shared: shared)
            sheets.append(XlsxSheetContents(name: sheet.attribute("name") ?? "", isHidden: sheet.attribute("state") != nil
                                                && sheet.attribute("state") != "visible",
                                            rows: rows, partPath: path))
        }
        return XlsxContents(sheets: sheets, package: package)
    }

    private static func officeDocumentPath(_ package: ZipPackage) throws -> String {
        if let rels = package["_rels/.rels"], let root = try? XMLNode.parse(rels, part: "_rels/.rels"),
           let main = root.children("Relationship").first(where: { $0.attribute("Type")?.hasSuffix("/officeDocument") == true }),
           let target = main.attribute("Target") {
            return resolve(target, in: "")
        }
        return "xl/workbook.xml"
    }

    /// A relationship target relative to the source part's folder, or absolute from the package root.
    private static func resolve(_ target: String, in folder: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var components = folder.isEmpty ? [] : folder.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = components.popLast() } else if piece != "." { components.append(String(piece)) }
        }
        return components.joined(separator: "/")
    }

    private static func readSharedStrings(_ data: Data) throws -> [String] {
        var collector = SharedStringCollector()
        try run(&collector, on: data, part: "sharedStrings.xml")
        return collector.strings
    }

    /// Cells a sheet may expand to, gaps included: a tiny file naming cell XFD1048576 must not make the
    /// reader allocate gigabytes of empty strings.
    static let maximumCells = 4_000_000

    private static func readSheet(_ data: Data, part: String, shared: [String]) throws -> [[String]] {
        var collector = SheetCollector(shared: shared, cellLimit: maximumCells)
        try run(&collector, on: data, part: part)
        if let problem = collector.problem { throw OfficeError.malformedXML(part: part, reason: problem) }
        return collector.rows
    }

    private static func run<H: XMLScanner.Handler>(_ handler: inout H, on data: Data, part: String) throws {
        do {
            try XMLScanner.scan(data, handler: &handler)
        } catch {
            throw OfficeError.malformedXML(part: part, reason: String(describing: error))
        }
    }
}

/// Collects `<si>` texts: direct `<t>` and rich-text `<r><t>`, skipping phonetic `<rPh>` guides.
private struct SharedStringCollector: XMLScanner.Handler {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phoneticDepth = 0

    mutating func start(_ name: Substring, attributes: [Substring: String]) {
        switch name {
        case "si": current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = phoneticDepth == 0
        default: break
        }
    }

    mutating func end(_ name: Substring) {
        switch name {
        case "si": strings.append(current)
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    mutating func text(_ text: String) {
        if inText { current += text }
    }
}

/// Streams `<sheetData>` into rows without building a tree, so large files stay cheap.
private struct SheetCollector: XMLScanner.Handler {
    let shared: [String]
    var rows: [[String]] = []
    private var row: [String] = []
    private var rowIndex = 0
    private var column = 0
    private var cellType: String?
    private var value = ""
    private var capturing = false
    private var phoneticDepth = 0
    /// Cells stored so far, gaps included, against `cellLimit`.
    private var cells = 0
    private let cellLimit: Int
    /// Why the sheet cannot be read; once set, nothing more is stored. (Handlers cannot throw.)
    private(set) var problem: String?

    init(shared: [String], cellLimit: Int) {
        self.shared = shared
        self.cellLimit = cellLimit
    }

    mutating func start(_ name: Substring, attributes: [Substring: String]) {
        guard problem == nil else { return }
        switch name {
        case "row":
            row = []
            rowIndex = attributes["r"].flatMap { Int($0) }.map { $0 - 1 } ?? rows.count
            if !(0..<XlsxReference.maximumRows).contains(rowIndex) { problem = "row number out of range" }
            column = 0
        case "c":
            if let reference = attributes["r"] {
                let letters = reference.prefix { $0.isLetter }
                guard let index = XlsxReference.columnIndex(letters) else {
                    problem = "cell reference \(reference.prefix(20)) out of range"
                    return
                }
                column = index
            } else {
                column = row.count
            }
            if column >= XlsxReference.maximumColumns { problem = "too many cells in a row" }
            cellType = attributes["t"]
            value = ""
        case "v": capturing = true
        case "t": capturing = phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    mutating func end(_ name: Substring) {
        guard problem == nil else { return }
        switch name {
        case "v", "t": capturing = false
        case "rPh": phoneticDepth -= 1
        case "c":
            var text = value
            if cellType == "s" { text = Int(value).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? "" }
            if !text.isEmpty {
                if row.count < column {
                    guard spend(column - row.count) else { return }
                    row.append(contentsOf: repeatElement("", count: column - row.count))
                }
                if row.count == column {
                    guard spend(1) else { return }
                    row.append(text)
                } else {
                    row[column] = text
                }
            }
            column += 1
        case "row":
            if rows.count < rowIndex {
                guard spend(rowIndex - rows.count) else { return }
                rows.append(contentsOf: repeatElement([], count: rowIndex - rows.count))
            }
            if rows.count == rowIndex { rows.append(row) } else if rowIndex < rows.count { rows[rowIndex] = row }
        default: break
        }
    }

    mutating func text(_ text: String) {
        if capturing { value += text }
    }

    /// Counts `count` more stored cells; false (and the sheet refused) past the limit.
    private mutating func spend(_ count: Int) -> Bool {
        cells += count
        if cells > cellLimit { problem = "more than \(cellLimit) cells" }
        return problem == nil
    }
}
