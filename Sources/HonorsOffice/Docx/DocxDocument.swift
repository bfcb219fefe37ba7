import Foundation

/// Page size, orientation and margins, all in twips (1/20 pt, 1/1440 inch).
public struct DocxPage: Sendable, Equatable {
    /// Paper width; A4 is 11906.
    public var widthTwips: Int
    /// Paper height; A4 is 16838.
    public var heightTwips: Int
    /// Marks the page as landscape so printers rotate it; width and height must match.
    public var landscape: Bool
    /// Top margin.
    public var topMargin: Int
    /// Bottom margin; the footer sits inside it.
    public var bottomMargin: Int
    /// Left margin.
    public var leftMargin: Int
    /// Right margin.
    public var rightMargin: Int
    /// Distance of the header and footer from the paper edge.
    public var headerDistance: Int
    /// Distance of the footer from the bottom edge.
    public var footerDistance: Int

    /// A page; defaults are A4 portrait with Word's default margins.
    public init(widthTwips: Int = 11906, heightTwips: Int = 16838, landscape: Bool = false,
                topMargin: Int = 1440, bottomMargin: Int = 1440, leftMargin: Int = 1800, rightMargin: Int = 1800,
                headerDistance: Int = 851, footerDistance: Int = 992) {
        self.widthTwips = widthTwips
        self.heightTwips = heightTwips
        self.landscape = landscape
        self.topMargin = topMargin
        self.bottomMargin = bottomMargin
        self.leftMargin = leftMargin
        self.rightMargin = rightMargin
        self.headerDistance = headerDistance
        self.footerDistance = footerDistance
    }

    /// A4 portrait with Word's default Chinese margins (2.54 cm top/bottom, 3.17 cm left/right).
    public static let a4Portrait = DocxPage()

    /// A4 landscape, for wide lists.
    public static let a4Landscape = DocxPage(widthTwips: 16838, heightTwips: 11906, landscape: true,
                                             topMargin: 1800, bottomMargin: 1800, leftMargin: 1440, rightMargin: 1440)

    /// Width available to text and tables.
    public var textWidthTwips: Int { widthTwips - leftMargin - rightMargin }

    /// Twips per centimetre, for margins given in centimetres.
    public static func twips(centimeters: Double) -> Int { Int((centimeters * 1440 / 2.54).rounded()) }
}

/// A top-level element of the body.
public enum DocxBlock: Sendable {
    case paragraph(DocxParagraph)
    case table(DocxTable)
    /// Starts a new page, e.g. between two nominees' forms in one file.
    case pageBreak
}

/// A Word document as a value: build it, then call `docxData()`. Holds no nomination knowledge;
/// the forms are laid out by the caller.
public struct DocxDocument: Sendable {
    /// Paper and margins of the single section.
    public var page: DocxPage
    /// Font and size every run inherits unless it sets its own.
    public var defaultFormat: DocxTextFormat
    /// Content in order.
    public var body: [DocxBlock]
    /// Paragraphs printed at the bottom of every page (e.g. a generation note and page number).
    public var footer: [DocxParagraph]
    /// Title stored in the document properties, shown by viewers instead of the file name.
    public var title: String?

    /// A document whose text defaults to 仿宋_GB2312 小四, the forms' body font.
    public init(page: DocxPage = .a4Portrait,
                defaultFormat: DocxTextFormat = DocxTextFormat(font: "仿宋_GB2312", halfPoints: 24),
                body: [DocxBlock] = [], footer: [DocxParagraph] = [], title: String? = nil) {
        self.page = page
        self.defaultFormat = defaultFormat
        self.body = body
        self.footer = footer
        self.title = title
    }

    /// Appends a paragraph.
    public mutating func add(_ paragraph: DocxParagraph) { body.append(.paragraph(paragraph)) }
    /// Appends a table; a paragraph is added after it when it ends the document. Put a paragraph
    /// between two tables yourself: Word joins adjacent tables into one.
    public mutating func add(_ table: DocxTable) { body.append(.table(table)) }
    /// Appends a page break.
    public mutating func addPageBreak() { body.append(.pageBreak) }

    /// Sets a one-line footer in small type, the common case for a generation note.
    public mutating func setFooter(_ text: String, halfPoints: Int = 18, alignment: DocxAlignment = .center) {
        footer = [DocxParagraph(text, format: DocxTextFormat(halfPoints: halfPoints), alignment: alignment)]
    }

    /// The .docx bytes.
    public func docxData() throws -> Data {
        try DocxWriter(document: self).package().archived()
    }
}
