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
    /// Unzips and reads every sheet; throws `OfficeError` for non-ZIP or malformed input,
    /// `OfficeError.tooLarge` past `maximumUnpackedBytes`, and `OfficeError.overLimit` at the first thing
    /// past `limits`.
    public static func read(_ data: Data, maximumUnpackedBytes: Int = 256 << 20, limits: XlsxLimits = XlsxLimits()) throws -> XlsxContents {
        let package = try ZipPackage.read(data, maximumUnpackedBytes: maximumUnpackedBytes)
        let workbookPath = try officeDocumentPath(package)
        let folder = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let workbook = try parseTree(try package.required(workbookPath), part: workbookPath, limits: limits)
        // A Word or PowerPoint file renamed to .xlsx is a valid package whose main part is not a workbook.
        guard workbook.name == "workbook" else { throw OfficeError.missingPart("xl/workbook.xml") }
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/"
            + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let rels = try parseTree(try package.required(relsPath), part: relsPath, limits: limits)
        var targets: [String: String] = [:]
        var sharedStringsPath: String?
        for relationship in rels.children("Relationship") {
            guard let id = relationship.attribute("Id"), let target = relationship.attribute("Target") else { continue }
            let path = resolve(target, in: folder)
            targets[id] = path
            if relationship.attribute("Type")?.hasSuffix("/sharedStrings") == true { sharedStringsPath = path }
        }
        let shared = try sharedStringsPath.flatMap { package[$0] }.map { try readSharedStrings($0, limits: limits) } ?? []

        let entries = workbook.child("sheets")?.children("sheet") ?? []
        guard entries.count <= limits.sheets else { throw OfficeError.overLimit(.sheets, limit: limits.sheets, sheet: nil) }
        var sheets: [XlsxSheetContents] = []
        var cellsLeft = limits.cells
        for sheet in entries {
            guard let id = sheet.attribute("id"), let path = targets[id] else { continue }
            let name = sheet.attribute("name") ?? ""
            let (rows, cells) = try readSheet(try package.required(path), part: path, name: name, shared: shared,
                                              limits: limits, cellsLeft: cellsLeft)
            cellsLeft -= cells
            sheets.append(XlsxSheetContents(name: name, isHidden: sheet.attribute("state") != nil
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

    private static func readSharedStrings(_ data: Data, limits: XlsxLimits) throws -> [String] {
        var collector = SharedStringCollector(limits: limits)
        try run(&collector, on: data, part: "sharedStrings.xml", limits: limits)
        if let over = collector.over { throw OfficeError.overLimit(over, limit: limits.value(over), sheet: nil) }
        return collector.strings
    }

    /// A sheet's rows and the cells they took: cells count gaps too, so a tiny file naming cell XFD1048576
    /// cannot make the reader allocate gigabytes of empty strings.
    private static func readSheet(_ data: Data, part: String, name: String, shared: [String], limits: XlsxLimits,
                                  cellsLeft: Int) throws -> (rows: [[String]], cells: Int) {
        var collector = SheetCollector(shared: shared, limits: limits, cellsLeft: cellsLeft)
        try run(&collector, on: data, part: part, limits: limits)
        if let over = collector.over { throw OfficeError.overLimit(over, limit: limits.value(over), sheet: name) }
        if let problem = collector.problem { throw OfficeError.malformedXML(part: part, reason: problem) }
        return (collector.rows, collector.cells)
    }

    private static func parseTree(_ data: Data, part: String, limits: XlsxLimits) throws -> XMLNode {
        do {
            return try XMLNode.parse(data, part: part, maximumDepth: limits.depth)
        } catch is XMLScanner.TooDeep {
            throw OfficeError.overLimit(.depth, limit: limits.depth, sheet: nil)
        }
    }

    private static func run<H: XMLScanner.Handler>(_ handler: inout H, on data: Data, part: String, limits: XlsxLimits) throws {
        do {
            try XMLScanner.scan(data, handler: &handler, maximumDepth: limits.depth)
        } catch is XMLScanner.TooDeep {
            throw OfficeError.overLimit(.depth, limit: limits.depth, sheet: nil)
        } catch {
            throw OfficeError.malformedXML(part: part, reason: String(describing: error))
        }
    }
}

/// Collects `<si>` texts: direct `<t>` and rich-text `<r><t>`, skipping phonetic `<rPh>` guides.
private struct SharedStringCollector: XMLScanner.Handler {
    var strings: [String] = []
    private var current = ""
    private var currentLength = 0
    private var totalLength = 0
    private var inText = false
    private var phoneticDepth = 0
    let limits: XlsxLimits
    /// The limit passed; once set, nothing more is kept. (Handlers cannot throw.)
    private(set) var over: XlsxLimits.Limit?

    init(limits: XlsxLimits) { self.limits = limits }

    var stopped: Bool { over != nil }

    mutating func start(_ name: Substring, attributes: [Substring: String]) {
        guard over == nil else { return }
        switch name {
        case "si":
            current = ""
            currentLength = 0
        case "rPh": phoneticDepth += 1
        case "t": inText = phoneticDepth == 0
        default: break
        }
    }

    mutating func end(_ name: Substring) {
        guard over == nil else { return }
        switch name {
        case "si": strings.append(current)
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    mutating func text(_ text: String) {
        guard inText, over == nil else { return }
        let length = text.count
        currentLength += length
        totalLength += length
        if currentLength > limits.cellLength { over = .cellLength }
        else if totalLength > limits.sharedStrings { over = .sharedStrings }
        else { current += text }
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
    private var valueLength = 0
    /// Cells stored so far, gaps included, against what the workbook has left.
    private(set) var cells = 0
    private let cellsLeft: Int
    private let limits: XlsxLimits
    /// Why the sheet cannot be read; once set, nothing more is stored. (Handlers cannot throw.)
    private(set) var problem: String?
    /// The limit passed, likewise.
    private(set) var over: XlsxLimits.Limit?

    init(shared: [String], limits: XlsxLimits, cellsLeft: Int) {
        self.shared = shared
        self.limits = limits
        self.cellsLeft = cellsLeft
    }

    var stopped: Bool { over != nil || problem != nil }

    mutating func start(_ name: Substring, attributes: [Substring: String]) {
        guard problem == nil, over == nil else { return }
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
            valueLength = 0
        case "v": capturing = true
        case "t": capturing = phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    mutating func end(_ name: Substring) {
        guard problem == nil, over == nil else { return }
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
            // Stop at the first row with content past the limit: nothing after it is read. Empty rows there
            // (Excel keeps formatted ones) are not stored.
            if rowIndex >= limits.rows {
                if row.contains(where: { !$0.isEmpty }) { over = .rows }
                return
            }
            if rows.count < rowIndex {
                guard spend(rowIndex - rows.count) else { return }
                rows.append(contentsOf: repeatElement([], count: rowIndex - rows.count))
            }
            if rows.count == rowIndex { rows.append(row) } else if rowIndex < rows.count { rows[rowIndex] = row }
        default: break
        }
    }

    mutating func text(_ text: String) {
        guard capturing, over == nil else { return }
        valueLength += text.count
        if valueLength > limits.cellLength { over = .cellLength } else { value += text }
    }

    /// Counts `count` more stored cells; false (and the workbook refused) past the limit.
    private mutating func spend(_ count: Int) -> Bool {
        cells += count
        if cells > cellsLeft { over = .cells }
        return over == nil
    }
}
