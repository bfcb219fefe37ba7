import Foundation

/// One table cell as read back: its text and the merge attributes that define the form's shape.
public struct DocxCellContents: Sendable, Equatable {
    /// Paragraph texts joined by "\n"; line breaks inside a paragraph are "\n" too.
    public var text: String
    /// Grid columns covered, 1 unless merged horizontally.
    public var gridSpan: Int
    /// "restart", "continue" or nil when the cell is not vertically merged.
    public var verticalMerge: String?
    /// Number of <w:p> directly in the cell; Word needs at least one.
    public var paragraphCount: Int
}

/// What a .docx holds, enough to check generated files and to read simple uploaded ones.
public struct DocxContents: Sendable {
    /// The raw main document part.
    public var documentXML: String
    /// Local names of the body's children in order ("p", "tbl", "sectPr").
    public var bodyElements: [String]
    /// Texts of the body's top-level paragraphs.
    public var paragraphs: [String]
    /// Top-level tables: rows of cells.
    public var tables: [[[DocxCellContents]]]
    /// Every part path in the package.
    public var partPaths: [String]
    /// The package itself, for checks on other parts (relationships, media, footer).
    public var package: ZipPackage
}

/// Reads a .docx back into plain values.
public enum DocxReader: Sendable {
    /// Unzips and reads the main document; throws `OfficeError` for broken input.
    public static func read(_ data: Data) throws -> DocxContents {
        let package = try ZipPackage.read(data)
        let documentPath = try mainDocumentPath(in: package)
        let documentData = try package.required(documentPath)
        let root = try XMLNode.parse(documentData, part: documentPath)
        guard let body = root.child("body") else { throw OfficeError.missingPart("\(documentPath) w:body") }
        return DocxContents(
            documentXML: String(decoding: documentData, as: UTF8.self),
            bodyElements: body.children.map(\.name),
            paragraphs: body.children("p").map(paragraphText),
            tables: body.children("tbl").map(tableCells),
            partPaths: package.paths,
            package: package)
    }

    /// The main part named by the package relationships, "word/document.xml" when they are absent.
    private static func mainDocumentPath(in package: ZipPackage) throws -> String {
        if let rels = package["_rels/.rels"], let root = try? XMLNode.parse(rels, part: "_rels/.rels"),
           let main = root.children("Relationship").first(where: { $0.attribute("Type")?.hasSuffix("/officeDocument") == true }),
           let target = main.attribute("Target") {
            return target.hasPrefix("/") ? String(target.dropFirst()) : target
        }
        return "word/document.xml"
    }

    static func paragraphText(_ paragraph: XMLNode) -> String {
        var text = ""
        func walk(_ node: XMLNode) {
            for child in node.children {
                switch child.name {
                case "t": text += child.text
                case "br", "cr": text += "\n"
                case "tab" where node.name == "r": text += "\t"
                case "instrText", "delText", "pPr", "rPr": continue
                default: walk(child)
                }
            }
        }
        walk(paragraph)
        return text
    }

    private static func tableCells(_ table: XMLNode) -> [[DocxCellContents]] {
        table.children("tr").map { row in
            row.children("tc").map { cell in
                let properties = cell.child("tcPr")
                let span = properties?.child("gridSpan")?.attribute("val").flatMap(Int.init) ?? 1
                var merge: String?
                if let vMerge = properties?.child("vMerge") {
                    merge = vMerge.attribute("val") ?? "continue"
                }
                let paragraphs = cell.children("p")
                return DocxCellContents(
                    text: paragraphs.map(paragraphText).joined(separator: "\n"),
                    gridSpan: span, verticalMerge: merge, paragraphCount: paragraphs.count)
            }
        }
    }
}
