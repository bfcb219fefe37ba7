import Foundation

/// An Excel workbook as a value: add sheets, then call `xlsxData()`.
public struct XlsxWorkbook: Sendable {
    /// Sheets in tab order, names already sanitised; read-only so names stay unique.
    public private(set) var sheets: [XlsxSheet] = []

    /// An empty workbook; a sheet named "Sheet1" is written if none is added.
    public init() {}

    /// A workbook from sheets, each added (and renamed if needed) in order.
    public init(sheets: [XlsxSheet]) {
        for sheet in sheets { add(sheet) }
    }

    /// Adds a sheet under a legal, unique name and returns that name, which formulas and list
    /// validations referring to the sheet must use.
    @discardableResult
    public mutating func add(_ sheet: XlsxSheet) -> String {
        var sheet = sheet
        sheet.name = XlsxSheetName.sanitized(sheet.name, avoiding: sheets.map(\.name))
        sheets.append(sheet)
        return sheet.name
    }

    /// The .xlsx bytes. Throws when a validation cannot be expressed (e.g. a list over 255 characters).
    public func xlsxData() throws -> Data {
        try XlsxWriter(workbook: self).package().archived()
    }

    /// Writes the .xlsx file at `url` part by part: for large exports, whose sheets' XML need not all be in
    /// memory at once.
    public func write(to url: URL) throws {
        let zip = try ZipFileWriter(url: url)
        try XlsxWriter(workbook: self).writeParts { try zip.add($0, $1) }
    }
}
