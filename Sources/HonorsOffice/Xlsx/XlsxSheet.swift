import Foundation

/// A cell value. Text is the default on purpose: ID numbers and phone numbers must never become
/// numbers (Excel keeps 15 significant digits and would corrupt an 18-digit ID).
public enum XlsxCell: Sendable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    /// Only for real quantities (counts, quotas); written as an Excel number.
    case number(Double)
    case empty

    /// String literals are text cells, so `["张三", "150602..."]` stays text.
    public init(stringLiteral value: String) { self = .text(value) }

    /// An integer quantity.
    public static func integer(_ value: Int) -> XlsxCell { .number(Double(value)) }
}

/// A column: its header, width and how values typed into it later are treated.
public struct XlsxColumn: Sendable, Equatable {
    /// Header text in the first row (or the second, under a title).
    public var header: String
    /// Width in Excel character units.
    public var width: Double
    /// Formats the column as text ("@") so values typed into a template stay text; on by default.
    public var isText: Bool
    /// Wraps long text (主要事迹, 简历) instead of spilling over neighbouring cells.
    public var wrapsText: Bool

    /// A text column by default; pass `isText: false` for quantities.
    public init(_ header: String, width: Double = 14, isText: Bool = true, wrapsText: Bool = false) {
        self.header = header
        self.width = width
        self.isText = isText
        self.wrapsText = wrapsText
    }
}

/// Print layout of a sheet. Landscape on one page width is what a wide summary needs on paper.
public struct XlsxPageSetup: Sendable, Equatable {
    /// Landscape fits the many columns of a summary.
    public var landscape: Bool
    /// Shrinks printing to one page wide, any number of pages tall.
    public var fitToWidth: Bool
    /// Prints the header row at the top of every page.
    public var repeatHeaderRow: Bool
    /// Adds "第 N 页，共 M 页" at the bottom of printed pages.
    public var pageNumbersInFooter: Bool

    /// Defaults suit wide summaries.
    public init(landscape: Bool = true, fitToWidth: Bool = true, repeatHeaderRow: Bool = true,
                pageNumbersInFooter: Bool = true) {
        self.landscape = landscape
        self.fitToWidth = fitToWidth
        self.repeatHeaderRow = repeatHeaderRow
        self.pageNumbersInFooter = pageNumbersInFooter
    }

    /// Landscape, one page wide, header repeated: the summary tables.
    public static let landscapeFitToWidth = XlsxPageSetup()
    /// Portrait without scaling, for narrow lists.
    public static let portrait = XlsxPageSetup(landscape: false, fitToWidth: false)
}

/// One worksheet: an optional title row, a header row from the columns, then data rows.
public struct XlsxSheet: Sendable {
    /// Requested name; the workbook sanitises it to Excel's rules when the sheet is added.
    public var name: String
    /// Header row and column formats; may be empty for a plain list.
    public var columns: [XlsxColumn]
    /// Data rows below the header; rows may be shorter or longer than the columns.
    public var rows: [[XlsxCell]]
    /// A bold title merged across the columns above the header, e.g. the campaign's summary title.
    public var title: String?
    /// Keeps the header visible while scrolling.
    public var freezesHeader: Bool
    /// Adds filter buttons over the header and data.
    public var hasAutoFilter: Bool
    /// How the sheet prints.
    public var page: XlsxPageSetup
    /// Dropdowns and checks for template sheets.
    public var validations: [XlsxDataValidation]
    /// Hidden sheets hold code lists that dropdowns refer to.
    public var isHidden: Bool
    /// A second header row under the column headers, e.g. the field keys an importer matches columns by;
    /// it is frozen and printed with the header.
    public var subheader: [String]?

    /// A sheet with a frozen, filterable header that prints landscape by default.
    public init(name: String, columns: [XlsxColumn] = [], rows: [[XlsxCell]] = [], title: String? = nil,
                freezesHeader: Bool = true, hasAutoFilter: Bool = true, page: XlsxPageSetup = .landscapeFitToWidth,
                validations: [XlsxDataValidation] = [], isHidden: Bool = false, subheader: [String]? = nil) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.title = title
        self.freezesHeader = freezesHeader
        self.hasAutoFilter = hasAutoFilter
        self.page = page
        self.validations = validations
        self.isHidden = isHidden
        self.subheader = subheader
    }

    /// Appends a row of text cells; the common case for exports.
    public mutating func addRow(_ texts: [String]) {
        rows.append(texts.map { .text($0) })
    }

    /// Appends a row of mixed cells.
    public mutating func addRow(_ cells: [XlsxCell]) {
        rows.append(cells)
    }

    /// 1-based sheet row of the header, nil without columns.
    public var headerRowNumber: Int? { columns.isEmpty ? nil : (title == nil ? 1 : 2) }

    /// 1-based sheet row of the last header row: the subheader when there is one.
    public var lastHeaderRowNumber: Int? { headerRowNumber.map { $0 + (subheader == nil ? 0 : 1) } }

    /// 1-based sheet row of the first data row, for validation ranges in templates.
    public var firstDataRowNumber: Int { (lastHeaderRowNumber ?? (title == nil ? 0 : 1)) + 1 }

    /// Number of columns in use.
    public var columnCount: Int { rows.reduce(columns.count) { max($0, $1.count) } }
}

/// A1-style references, for validation ranges and formulas built by callers.
public enum XlsxReference: Sendable {
    /// "A" for 0, "Z" for 25, "AA" for 26.
    public static func columnName(_ zeroBasedIndex: Int) -> String {
        var index = zeroBasedIndex + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            index = (index - 1) / 26
        }
        return String(letters.reversed())
    }

    /// Excel's last column (XFD) and last row.
    public static let maximumColumns = 16_384
    public static let maximumRows = 1_048_576

    /// Zero-based column index of letters such as "AB", nil for anything else, past XFD included.
    public static func columnIndex(_ letters: some StringProtocol) -> Int? {
        var value = 0
        for scalar in letters.unicodeScalars {
            guard (65...90).contains(scalar.value) || (97...122).contains(scalar.value) else { return nil }
            value = value * 26 + Int((scalar.value & ~0x20) - 64)
            guard value <= maximumColumns else { return nil }
        }
        return value == 0 ? nil : value - 1
    }

    /// "C2:C1000": one column over a block of rows (1-based rows).
    public static func columnRange(_ column: Int, rows: ClosedRange<Int>) -> String {
        let name = columnName(column)
        return "\(name)\(rows.lowerBound):\(name)\(rows.upperBound)"
    }

    /// "'代码表'!$A$2:$A$20": an absolute range on another sheet, for list validations.
    public static func absoluteColumnRange(sheet: String, column: Int, rows: ClosedRange<Int>) -> String {
        let name = columnName(column)
        return "\(quotedSheetName(sheet))!$\(name)$\(rows.lowerBound):$\(name)$\(rows.upperBound)"
    }

    /// A sheet name quoted for formulas, apostrophes doubled.
    public static func quotedSheetName(_ name: String) -> String {
        "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
