import Foundation

/// Vertical merge state of a cell; a merged block starts with `restart` and every cell below it that
/// belongs to the block is `continue` (the photo cell spanning several rows of 附件3/4).
public enum DocxVerticalMerge: String, Sendable {
    case restart
    case `continue`
}

/// Vertical placement of content in a cell.
public enum DocxVerticalAlignment: String, Sendable {
    case top, center, bottom
}

/// Text direction of a cell; narrow label columns such as 「主要事迹」 read top to bottom.
public enum DocxTextDirection: String, Sendable {
    case horizontal = "lrTb"
    /// East Asian vertical text, characters upright, columns right to left.
    case verticalEastAsian = "tbRlV"
}

/// Row height rule; fixed rows keep a printed form on one page, at-least rows grow with long text.
public enum DocxRowHeight: Sendable, Equatable {
    case exact(twips: Int)
    case atLeast(twips: Int)
}

/// Border line of a table, applied to the outside and inside lines alike.
public struct DocxBorder: Sendable, Equatable {
    /// OOXML border style, e.g. "single", "double"; "nil" for none.
    public var style: String
    /// Width in eighths of a point (4 = ½ pt, 12 = 1½ pt).
    public var eighthPoints: Int
    /// Hex RGB or "auto".
    public var color: String

    /// A border; the default is the forms' thin black line.
    public init(style: String = "single", eighthPoints: Int = 4, color: String = "000000") {
        self.style = style
        self.eighthPoints = eighthPoints
        self.color = color
    }

    /// Thin black lines as on the official forms.
    public static let single = DocxBorder()
    /// No lines, for layout tables such as a signature block.
    public static let none = DocxBorder(style: "nil", eighthPoints: 0, color: "auto")
}

/// One cell. A cell always gets at least one paragraph when written, because Word treats a cell
/// without one as damage.
public struct DocxTableCell: Sendable {
    /// Content; several paragraphs give the right-aligned 签字/盖章/日期 lines.
    public var paragraphs: [DocxParagraph]
    /// Number of grid columns the cell covers (gridSpan).
    public var columnSpan: Int
    /// Set on every cell of a vertically merged block.
    public var verticalMerge: DocxVerticalMerge?
    /// Labels sit centred; signature lines sit at the bottom.
    public var verticalAlignment: DocxVerticalAlignment
    /// Nil keeps horizontal text.
    public var textDirection: DocxTextDirection?
    /// Hex RGB background, e.g. "F2F2F2" for label cells.
    public var shading: String?

    /// A cell of any content; empty cells are written with one empty paragraph.
    public init(paragraphs: [DocxParagraph] = [], columnSpan: Int = 1, verticalMerge: DocxVerticalMerge? = nil,
                verticalAlignment: DocxVerticalAlignment = .center, textDirection: DocxTextDirection? = nil,
                shading: String? = nil) {
        self.paragraphs = paragraphs
        self.columnSpan = max(1, columnSpan)
        self.verticalMerge = verticalMerge
        self.verticalAlignment = verticalAlignment
        self.textDirection = textDirection
        self.shading = shading
    }

    /// A cell with one paragraph of text, the shape of most form cells.
    public init(_ text: String, format: DocxTextFormat = .inherited, alignment: DocxAlignment? = .center,
                columnSpan: Int = 1, verticalMerge: DocxVerticalMerge? = nil,
                verticalAlignment: DocxVerticalAlignment = .center) {
        self.init(paragraphs: [DocxParagraph(text, format: format, alignment: alignment)],
                  columnSpan: columnSpan, verticalMerge: verticalMerge, verticalAlignment: verticalAlignment)
    }

    /// The continuation of a vertically merged block; spans must match the block's first cell.
    public static func mergedBelow(columnSpan: Int = 1) -> DocxTableCell {
        DocxTableCell(columnSpan: columnSpan, verticalMerge: .continue)
    }
}

/// One table row.
public struct DocxTableRow: Sendable {
    /// Cells left to right; their spans must add up to the grid.
    public var cells: [DocxTableCell]
    /// Nil lets the row size to its content.
    public var height: DocxRowHeight?
    /// Keeps a row from breaking across pages, so a signature block stays together.
    public var cantSplit: Bool
    /// Repeats the row at the top of every page the table continues on.
    public var isHeader: Bool

    /// A row of cells.
    public init(_ cells: [DocxTableCell], height: DocxRowHeight? = nil, cantSplit: Bool = false,
                isHeader: Bool = false) {
        self.cells = cells
        self.height = height
        self.cantSplit = cantSplit
        self.isHeader = isHeader
    }
}

/// A table on a fixed grid. Fixed column widths keep the official forms' layout independent of
/// content; the writer rejects rows whose spans do not add up to the grid.
public struct DocxTable: Sendable {
    /// Grid column widths in twips; their sum is the table width.
    public var columnWidths: [Int]
    /// Rows top to bottom.
    public var rows: [DocxTableRow]
    /// Lines around and between cells.
    public var border: DocxBorder
    /// Placement of the whole table on the page.
    public var alignment: DocxAlignment
    /// Left and right cell padding in twips.
    public var cellPaddingTwips: Int

    /// A table on the given grid, centred with thin borders by default.
    public init(columnWidths: [Int], rows: [DocxTableRow] = [], border: DocxBorder = .single,
                alignment: DocxAlignment = .center, cellPaddingTwips: Int = 108) {
        self.columnWidths = columnWidths
        self.rows = rows
        self.border = border
        self.alignment = alignment
        self.cellPaddingTwips = cellPaddingTwips
    }

    /// Appends a row, for building forms top to bottom.
    public mutating func addRow(_ cells: [DocxTableCell], height: DocxRowHeight? = nil, cantSplit: Bool = false) {
        rows.append(DocxTableRow(cells, height: height, cantSplit: cantSplit))
    }

    /// Total width in twips.
    public var widthTwips: Int { columnWidths.reduce(0, +) }
}
