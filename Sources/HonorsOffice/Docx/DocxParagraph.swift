import Foundation

/// Horizontal alignment of a paragraph or a table; `distribute` spreads Chinese labels such as
/// 「姓名」 across the cell the way the printed forms do.
public enum DocxAlignment: String, Sendable {
    case left, center, right, both, distribute

    var ooxmlValue: String { self == .both ? "both" : rawValue }
}

/// Character formatting of a run. Nil fields inherit the document default, so a form can set its
/// font once and override only what differs.
public struct DocxTextFormat: Sendable, Equatable {
    /// Font family name, used for East Asian and Latin text alike (e.g. "仿宋_GB2312", "方正小标宋简体").
    public var font: String?
    /// Size in half-points; Chinese sizes: 二号 44, 三号 32, 小三 30, 四号 28, 小四 24, 五号 21.
    public var halfPoints: Int?
    /// Titles and labels.
    public var bold: Bool
    /// Rare in official documents, offered for notes.
    public var italic: Bool
    /// For fill-in lines such as "____年" written as underlined spaces.
    public var underline: Bool
    /// Hex RGB such as "C00000"; nil keeps automatic colour.
    public var color: String?

    /// Only what is given overrides the inherited format.
    public init(font: String? = nil, halfPoints: Int? = nil, bold: Bool = false, italic: Bool = false,
                underline: Bool = false, color: String? = nil) {
        self.font = font
        self.halfPoints = halfPoints
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.color = color
    }

    /// Inherit everything.
    public static let inherited = DocxTextFormat()

    /// Official Chinese font sizes in half-points, named as Word's size list names them.
    public enum ChineseSize: Sendable {
        /// 二号, titles of the approval forms.
        public static let er = 44
        /// 三号, body text of official documents.
        public static let san = 32
        /// 小三.
        public static let xiaoSan = 30
        /// 四号.
        public static let si = 28
        /// 小四, table text.
        public static let xiaoSi = 24
        /// 五号, dense tables.
        public static let wu = 21
        /// 小五, footers and notes.
        public static let xiaoWu = 18
    }
}

/// A field Word computes at render time, needed for page numbers in the footer.
public enum DocxField: String, Sendable {
    case pageNumber = "PAGE"
    case pageCount = "NUMPAGES"
}

/// One run of a paragraph: text with one format, an inline image, a field or a page break.
public struct DocxRun: Sendable {
    /// What the run holds.
    public enum Content: Sendable {
        /// Text; "\n" becomes a line break and "\t" a tab inside the same paragraph.
        case text(String)
        case image(DocxImage)
        case field(DocxField)
        case pageBreak
    }

    /// What the run shows.
    public var content: Content
    /// Overrides of the inherited format.
    public var format: DocxTextFormat

    /// A text run.
    public init(_ text: String, format: DocxTextFormat = .inherited) {
        self.content = .text(text)
        self.format = format
    }

    /// A run of any kind.
    public init(content: Content, format: DocxTextFormat = .inherited) {
        self.content = content
        self.format = format
    }

    /// An inline picture such as the 二寸 photo.
    public static func image(_ image: DocxImage) -> DocxRun { DocxRun(content: .image(image)) }
}

/// Line spacing rule; forms with fixed-height rows need exact spacing so text does not grow the row.
public enum DocxLineSpacing: Sendable, Equatable {
    /// Exact line height in twips.
    case exact(Int)
    /// At least this line height in twips.
    case atLeast(Int)
    /// A multiple of single spacing in 240ths (240 = single, 360 = 1.5 lines).
    case multiple(Int)
}

/// Space around and between lines of a paragraph.
public struct DocxSpacing: Sendable, Equatable {
    /// Space above the paragraph.
    public var beforeTwips: Int?
    /// Space below the paragraph.
    public var afterTwips: Int?
    /// Line height rule; nil keeps single spacing.
    public var line: DocxLineSpacing?

    /// Only the given values are written.
    public init(beforeTwips: Int? = nil, afterTwips: Int? = nil, line: DocxLineSpacing? = nil) {
        self.beforeTwips = beforeTwips
        self.afterTwips = afterTwips
        self.line = line
    }
}

/// Indentation; Chinese body text indents its first line by two characters (`firstLineChars: 200`).
public struct DocxIndentation: Sendable, Equatable {
    /// Indent of all lines from the left.
    public var leftTwips: Int?
    /// Indent of all lines from the right.
    public var rightTwips: Int?
    /// Extra first-line indent in twips; when `firstLineChars` is set, the twips are worked out from the font size.
    public var firstLineTwips: Int?
    /// First-line indent in hundredths of a character, so it follows the font size.
    public var firstLineChars: Int?

    /// Only the given values are written.
    public init(leftTwips: Int? = nil, rightTwips: Int? = nil, firstLineTwips: Int? = nil,
                firstLineChars: Int? = nil) {
        self.leftTwips = leftTwips
        self.rightTwips = rightTwips
        self.firstLineTwips = firstLineTwips
        self.firstLineChars = firstLineChars
    }

    /// The customary two-character first-line indent of Chinese prose.
    public static let chineseFirstLine = DocxIndentation(firstLineChars: 200)
}

/// A paragraph: the unit of body text, table cell content and footer content.
public struct DocxParagraph: Sendable {
    /// Content in order; an empty paragraph still takes one line.
    public var runs: [DocxRun]
    /// Nil inherits left alignment.
    public var alignment: DocxAlignment?
    /// Nil keeps the default spacing.
    public var spacing: DocxSpacing?
    /// Nil means no indentation.
    public var indentation: DocxIndentation?
    /// Keeps a title with what follows it on one page.
    public var keepWithNext: Bool
    /// Starts the paragraph on a new page, e.g. each nominee's form.
    public var pageBreakBefore: Bool

    /// A paragraph of several runs, for mixed formats and images.
    public init(runs: [DocxRun] = [], alignment: DocxAlignment? = nil, spacing: DocxSpacing? = nil,
                indentation: DocxIndentation? = nil, keepWithNext: Bool = false, pageBreakBefore: Bool = false) {
        self.runs = runs
        self.alignment = alignment
        self.spacing = spacing
        self.indentation = indentation
        self.keepWithNext = keepWithNext
        self.pageBreakBefore = pageBreakBefore
    }

    /// The common case: one run of text in one format.
    public init(_ text: String, format: DocxTextFormat = .inherited, alignment: DocxAlignment? = nil,
                spacing: DocxSpacing? = nil, indentation: DocxIndentation? = nil) {
        self.init(runs: text.isEmpty ? [] : [DocxRun(text, format: format)], alignment: alignment,
                  spacing: spacing, indentation: indentation)
    }

    /// An empty paragraph, e.g. to separate two tables Word would otherwise join.
    public static let empty = DocxParagraph()

    /// Appends a run, for building mixed formats fluently.
    public func adding(_ run: DocxRun) -> DocxParagraph {
        var copy = self
        copy.runs.append(run)
        return copy
    }

    /// The plain text of the paragraph's text runs.
    public var plainText: String {
        runs.compactMap { run -> String? in
            if case .text(let text) = run.content { return text }
            return nil
        }.joined()
    }
}
