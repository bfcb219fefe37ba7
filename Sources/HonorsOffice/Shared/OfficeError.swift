import Foundation

/// Failures of writing, reading or converting office files, specific enough to show an operator
/// which input was wrong.
public enum OfficeError: Error, Sendable, Equatable {
    /// The ZIP container could not be written or opened.
    case archive(String)
    /// An archive unpacks to more than the reader allows (a zip bomb, or simply too big to import).
    case tooLarge
    /// A workbook breaks one of the reader's `XlsxLimits`; `sheet` names the sheet when it is one sheet's.
    case overLimit(XlsxLimits.Limit, limit: Int, sheet: String?)
    /// A part the format requires is missing from the package.
    case missingPart(String)
    /// A part is not well-formed XML.
    case malformedXML(part: String, reason: String)
    /// A table's rows do not fill its column grid exactly; Word would shift or drop cells.
    case invalidTable(String)
    /// Image bytes are neither PNG nor JPEG.
    case unsupportedImage
    /// A data validation cannot be expressed the way it was asked for.
    case invalidValidation(String)
    /// Too many conversions are waiting already: try again in a moment.
    case busy
    /// No LibreOffice executable was found.
    case converterUnavailable
    /// LibreOffice did not finish within the allowed time and was killed.
    case conversionTimedOut(seconds: Double)
    /// LibreOffice ran but produced no usable PDF.
    case conversionFailed(String)
}
