import Foundation

/// What `XlsxReader` reads at most, checked while it reads: a file past any of them is refused at the first
/// element, cell or row over, before the rest is read, let alone normalised. The defaults are Excel's own
/// limits; an importer passes tighter ones fitting its template.
public struct XlsxLimits: Sendable, Equatable {
    public enum Limit: String, Sendable, Equatable {
        /// Elements nested in one XML part.
        case depth
        /// Sheets in the workbook.
        case sheets
        /// Cells stored over the whole workbook, gaps before a cell included.
        case cells
        /// Characters in one cell.
        case cellLength
        /// Characters of all shared strings together.
        case sharedStrings
        /// Rows with content on one sheet.
        case rows
    }

    public var depth: Int
    public var sheets: Int
    public var cells: Int
    public var cellLength: Int
    public var sharedStrings: Int
    public var rows: Int

    public init(depth: Int = 64, sheets: Int = 255, cells: Int = 4_000_000, cellLength: Int = 32_767,
                sharedStrings: Int = 64 << 20, rows: Int = XlsxReference.maximumRows) {
        self.depth = depth
        self.sheets = sheets
        self.cells = cells
        self.cellLength = cellLength
        self.sharedStrings = sharedStrings
        self.rows = rows
    }

    public func value(_ limit: Limit) -> Int {
        switch limit {
        case .depth: depth
        case .sheets: sheets
        case .cells: cells
        case .cellLength: cellLength
        case .sharedStrings: sharedStrings
        case .rows: rows
        }
    }
}
