import Foundation

/// Turns a `DocxDocument` into package parts. Internal: callers use `DocxDocument.docxData()`.
/// Enforces Word's structural rules (a paragraph in every cell, no table at the end of the body,
/// spans that fill the grid) so a layout mistake fails here rather than as a "damaged file" in Word.
struct DocxWriter {
    let document: DocxDocument

    private static let namespaces =
        #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#
        + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#
        + #"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#
        + #"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#
        + #"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#

    /// State shared by all parts while writing: media files are shared and drawing ids are unique
    /// across the document and its footer.
    private final class Context {
        var nextDrawingID = 1
        var media: [Data: String] = [:]   // image bytes -> "media/imageN.ext"
        var mediaParts: [(String, Data)] = []
        var formats: Set<DocxImage.Format> = []

        func mediaTarget(for image: DocxImage) -> String {
            if let target = media[image.data] { return target }
            let target = "media/image\(mediaParts.count + 1).\(image.format.fileExtension)"
            media[image.data] = target
            mediaParts.append((target, image.data))
            formats.insert(image.format)
            return target
        }
    }

    /// Per-part writer: the buffer plus that part's relationships.
    private struct PartWriter {
        var out = XMLBuffer()
        var relationships = Relationships()
        var imageIDs: [String: String] = [:]   // media target -> relationship id in this part
        let context: Context

        mutating func relationshipID(for image: DocxImage) -> String {
            let target = context.mediaTarget(for: image)
            if let id = imageIDs[target] { return id }
            let id = relationships.add(type: Relationships.image, target: target)
            imageIDs[target] = id
            return id
        }
    }

    func package() throws -> ZipPackage {
        let context = Context()

        var main = PartWriter(context: context)
        _ = main.relationships.add(type: Relationships.styles, target: "styles.xml")
        _ = main.relationships.add(type: Relationships.settings, target: "settings.xml")
        let footerID = main.relationships.add(type: Relationships.footer, target: "footer1.xml")
        try writeDocument(into: &main, footerID: footerID)

        var footer = PartWriter(context: context)
        footer.out.raw("<w:ftr \(Self.namespaces)>")
        let footerParagraphs = document.footer.isEmpty ? [DocxParagraph.empty] : document.footer
        for paragraph in footerParagraphs { try write(paragraph, into: &footer, style: "Footer") }
        footer.out.raw("</w:ftr>")

        var types = ContentTypes()
        for format in context.formats.sorted(by: { $0.rawValue < $1.rawValue }) {
            types.addDefault(extension: format.fileExtension, contentType: format.contentType)
        }
        let wordml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        types.addOverride(part: "/word/document.xml", contentType: "\(wordml).document.main+xml")
        types.addOverride(part: "/word/styles.xml", contentType: "\(wordml).styles+xml")
        types.addOverride(part: "/word/settings.xml", contentType: "\(wordml).settings+xml")
        types.addOverride(part: "/word/footer1.xml", contentType: "\(wordml).footer+xml")

        var root = Relationships()
        root.add(type: Relationships.officeDocument, target: "word/document.xml")
        if document.title != nil {
            types.addOverride(part: "/docProps/core.xml", contentType: ContentTypes.coreProperties)
            root.add(type: Relationships.coreProperties, target: "docProps/core.xml")
        }

        var package = ZipPackage()
        package.add("[Content_Types].xml", types.xml)
        package.add("_rels/.rels", root.xml)
        package.add("word/document.xml", main.out.data)
        package.add("word/_rels/document.xml.rels", main.relationships.xml)
        package.add("word/styles.xml", stylesXML())
        package.add("word/settings.xml", settingsXML())
        package.add("word/footer1.xml", footer.out.data)
        if !footer.relationships.entries.isEmpty {
            package.add("word/_rels/footer1.xml.rels", footer.relationships.xml)
        }
        for (target, data) in context.mediaParts { package.add("word/\(target)", data) }
        if let title = document.title { package.add("docProps/core.xml", corePropertiesXML(title: title)) }
        return package
    }

    // MARK: Body

    private func writeDocument(into part: inout PartWriter, footerID: String) throws {
        part.out.raw("<w:document \(Self.namespaces)><w:body>")
        var lastWasTable = false
        for (index, block) in document.body.enumerated() {
            switch block {
            case .paragraph(let paragraph):
                try write(paragraph, into: &part)
                lastWasTable = false
            case .table(let table):
                try write(table, number: index + 1, into: &part)
                lastWasTable = true
            case .pageBreak:
                part.out.raw(#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#)
                lastWasTable = false
            }
        }
        // Word requires a paragraph after a final table; without it the file is reported as damaged.
        if lastWasTable || document.body.isEmpty { part.out.raw("<w:p/>") }
        let page = document.page
        part.out.raw("<w:sectPr><w:footerReference w:type=\"default\"")
        part.out.attribute("r:id", footerID)
        part.out.raw("/><w:pgSz")
        part.out.attribute("w:w", page.widthTwips)
        part.out.attribute("w:h", page.heightTwips)
        if page.landscape { part.out.raw(#" w:orient="landscape""#) }
        part.out.raw("/><w:pgMar")
        part.out.attribute("w:top", page.topMargin)
        part.out.attribute("w:right", page.rightMargin)
        part.out.attribute("w:bottom", page.bottomMargin)
        part.out.attribute("w:left", page.leftMargin)
        part.out.attribute("w:header", page.headerDistance)
        part.out.attribute("w:footer", page.footerDistance)
        part.out.raw(#" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr>"#)
        part.out.raw("</w:body></w:document>")
    }

    private func write(_ paragraph: DocxParagraph, into part: inout PartWriter, style: String? = nil) throws {
        part.out.raw("<w:p>")
        let hasProperties = style != nil || paragraph.keepWithNext || paragraph.pageBreakBefore
            || paragraph.spacing != nil || paragraph.indentation != nil || paragraph.alignment != nil
        if hasProperties {
            part.out.raw("<w:pPr>")
            if let style {
                part.out.raw("<w:pStyle")
                part.out.attribute("w:val", style)
                part.out.raw("/>")
            }
            if paragraph.keepWithNext { part.out.raw("<w:keepNext/>") }
            if paragraph.pageBreakBefore { part.out.raw("<w:pageBreakBefore/>") }
            if let spacing = paragraph.spacing {
                part.out.raw("<w:spacing")
                if let before = spacing.beforeTwips { part.out.attribute("w:before", before) }
                if let after = spacing.afterTwips { part.out.attribute("w:after", after) }
                switch spacing.line {
                case .exact(let twips)?:
                    part.out.attribute("w:line", twips)
                    part.out.raw(#" w:lineRule="exact""#)
                case .atLeast(let twips)?:
                    part.out.attribute("w:line", twips)
                    part.out.raw(#" w:lineRule="atLeast""#)
                case .multiple(let value)?:
                    part.out.attribute("w:line", value)
                    part.out.raw(#" w:lineRule="auto""#)
                case nil:
                    break
                }
                part.out.raw("/>")
            }
            if let indentation = paragraph.indentation {
                part.out.raw("<w:ind")
                if let left = indentation.leftTwips { part.out.attribute("w:left", left) }
                if let right = indentation.rightTwips { part.out.attribute("w:right", right) }
                if let chars = indentation.firstLineChars {
                    // Word reads the character count; LibreOffice only the twips, so both are written, the
                    // twips worked out from the size of the paragraph's first text run.
                    let halfPoints = paragraph.runs.first { if case .text = $0.content { true } else { false } }?
                        .format.halfPoints ?? document.defaultFormat.halfPoints ?? 21
                    part.out.attribute("w:firstLine", chars * halfPoints / 10)
                    part.out.attribute("w:firstLineChars", chars)
                } else if let first = indentation.firstLineTwips {
                    part.out.attribute("w:firstLine", first)
                }
                part.out.raw("/>")
            }
            if let alignment = paragraph.alignment {
                part.out.raw("<w:jc")
                part.out.attribute("w:val", alignment.ooxmlValue)
                part.out.raw("/>")
            }
            part.out.raw("</w:pPr>")
        }
        for run in paragraph.runs { try write(run, into: &part) }
        part.out.raw("</w:p>")
    }

    private func writeRunProperties(_ format: DocxTextFormat, into out: inout XMLBuffer) {
        guard format != .inherited else { return }
        out.raw("<w:rPr>")
        if let font = format.font {
            out.raw("<w:rFonts")
            out.attribute("w:ascii", font)
            out.attribute("w:eastAsia", font)
            out.attribute("w:hAnsi", font)
            out.attribute("w:cs", font)
            out.raw("/>")
        }
        if format.bold { out.raw("<w:b/><w:bCs/>") }
        if format.italic { out.raw("<w:i/><w:iCs/>") }
        if let color = format.color {
            out.raw("<w:color")
            out.attribute("w:val", color)
            out.raw("/>")
        }
        if let size = format.halfPoints {
            out.raw("<w:sz")
            out.attribute("w:val", size)
            out.raw("/><w:szCs")
            out.attribute("w:val", size)
            out.raw("/>")
        }
        if format.underline { out.raw(#"<w:u w:val="single"/>"#) }
        out.raw("</w:rPr>")
    }

    private func write(_ run: DocxRun, into part: inout PartWriter) throws {
        switch run.content {
        case .text(let text):
            part.out.raw("<w:r>")
            writeRunProperties(run.format, into: &part.out)
            writeText(text, into: &part.out)
            part.out.raw("</w:r>")
        case .pageBreak:
            part.out.raw(#"<w:r><w:br w:type="page"/></w:r>"#)
        case .field(let field):
            for (index, piece) in ["begin", "instr", "separate", "value", "end"].enumerated() {
                part.out.raw("<w:r>")
                writeRunProperties(run.format, into: &part.out)
                switch index {
                case 1: part.out.raw(#"<w:instrText xml:space="preserve"> \#(field.rawValue) </w:instrText>"#)
                case 3: part.out.raw("<w:t>1</w:t>")
                default: part.out.raw(#"<w:fldChar w:fldCharType="\#(piece)"/>"#)
                }
                part.out.raw("</w:r>")
            }
        case .image(let image):
            let relationshipID = part.relationshipID(for: image)
            let drawingID = part.context.nextDrawingID
            part.context.nextDrawingID += 1
            part.out.raw("<w:r>")
            writeRunProperties(run.format, into: &part.out)
            part.out.raw(#"<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent"#)
            part.out.attribute("cx", image.widthEMU)
            part.out.attribute("cy", image.heightEMU)
            part.out.raw(#"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr"#)
            part.out.attribute("id", drawingID)
            part.out.attribute("name", "Picture \(drawingID)")
            part.out.attribute("descr", image.description)
            part.out.raw(#"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>"#)
            part.out.raw(#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#)
            part.out.raw("<pic:pic><pic:nvPicPr><pic:cNvPr")
            part.out.attribute("id", drawingID)
            part.out.attribute("name", "image\(drawingID).\(image.format.fileExtension)")
            part.out.raw("/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip")
            part.out.attribute("r:embed", relationshipID)
            part.out.raw(#"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext"#)
            part.out.attribute("cx", image.widthEMU)
            part.out.attribute("cy", image.heightEMU)
            part.out.raw(#"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#)
            part.out.raw("</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")
        }
    }

    /// Text with "\n" as <w:br/> and "\t" as <w:tab/>, each segment preserving its outer spaces.
    private func writeText(_ text: String, into out: inout XMLBuffer) {
        var segment = String.UnicodeScalarView()
        func flush(_ out: inout XMLBuffer) {
            guard !segment.isEmpty else { return }
            let piece = String(segment)
            out.raw(XMLText.needsPreserve(piece) ? #"<w:t xml:space="preserve">"# : "<w:t>")
            out.text(piece)
            out.raw("</w:t>")
            segment.removeAll(keepingCapacity: true)
        }
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r":
                break
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{0B}":
                flush(&out)
                out.raw("<w:br/>")
            case "\t":
                flush(&out)
                out.raw("<w:tab/>")
            default:
                segment.append(scalar)
            }
            previous = scalar
        }
        flush(&out)
    }

    // MARK: Tables

    private func write(_ table: DocxTable, number: Int, into part: inout PartWriter) throws {
        try validate(table, number: number)
        let border = table.border
        part.out.raw("<w:tbl><w:tblPr><w:tblW")
        part.out.attribute("w:w", table.widthTwips)
        part.out.raw(#" w:type="dxa"/><w:jc"#)
        let tableAlignment: String
        switch table.alignment {
        case .left: tableAlignment = "left"
        case .right: tableAlignment = "right"
        default: tableAlignment = "center"
        }
        part.out.attribute("w:val", tableAlignment)
        part.out.raw("/><w:tblBorders>")
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            part.out.raw("<w:\(side)")
            part.out.attribute("w:val", border.style)
            part.out.attribute("w:sz", border.eighthPoints)
            part.out.raw(#" w:space="0""#)
            part.out.attribute("w:color", border.color)
            part.out.raw("/>")
        }
        part.out.raw(#"</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left"#)
        part.out.attribute("w:w", table.cellPaddingTwips)
        part.out.raw(#" w:type="dxa"/><w:right"#)
        part.out.attribute("w:w", table.cellPaddingTwips)
        part.out.raw(#" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" "#
            + #"w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#)
        for width in table.columnWidths {
            part.out.raw("<w:gridCol")
            part.out.attribute("w:w", width)
            part.out.raw("/>")
        }
        part.out.raw("</w:tblGrid>")
        for row in table.rows {
            part.out.raw("<w:tr>")
            if row.cantSplit || row.height != nil || row.isHeader {
                part.out.raw("<w:trPr>")
                if row.cantSplit { part.out.raw("<w:cantSplit/>") }
                switch row.height {
                case .exact(let twips)?:
                    part.out.raw("<w:trHeight")
                    part.out.attribute("w:val", twips)
                    part.out.raw(#" w:hRule="exact"/>"#)
                case .atLeast(let twips)?:
                    part.out.raw("<w:trHeight")
                    part.out.attribute("w:val", twips)
                    part.out.raw(#" w:hRule="atLeast"/>"#)
                case nil:
                    break
                }
                if row.isHeader { part.out.raw("<w:tblHeader/>") }
                part.out.raw("</w:trPr>")
            }
            var column = 0
            for cell in row.cells {
                let width = table.columnWidths[column..<(column + cell.columnSpan)].reduce(0, +)
                column += cell.columnSpan
                part.out.raw("<w:tc><w:tcPr><w:tcW")
                part.out.attribute("w:w", width)
                part.out.raw(#" w:type="dxa"/>"#)
                if cell.columnSpan > 1 {
                    part.out.raw("<w:gridSpan")
                    part.out.attribute("w:val", cell.columnSpan)
                    part.out.raw("/>")
                }
                switch cell.verticalMerge {
                case .restart?: part.out.raw(#"<w:vMerge w:val="restart"/>"#)
                case .continue?: part.out.raw("<w:vMerge/>")
                case nil: break
                }
                if let fill = cell.shading {
                    part.out.raw(#"<w:shd w:val="clear" w:color="auto""#)
                    part.out.attribute("w:fill", fill)
                    part.out.raw("/>")
                }
                if let direction = cell.textDirection {
                    part.out.raw("<w:textDirection")
                    part.out.attribute("w:val", direction.rawValue)
                    part.out.raw("/>")
                }
                part.out.raw("<w:vAlign")
                part.out.attribute("w:val", cell.verticalAlignment.rawValue)
                part.out.raw("/></w:tcPr>")
                // Word reports a cell without a paragraph as damage; continuation cells get an empty one.
                let paragraphs = cell.verticalMerge == .continue || cell.paragraphs.isEmpty
                    ? [DocxParagraph.empty] : cell.paragraphs
                for paragraph in paragraphs { try write(paragraph, into: &part) }
                part.out.raw("</w:tc>")
            }
            part.out.raw("</w:tr>")
        }
        part.out.raw("</w:tbl>")
    }

    /// Checks the grid: every row fills it exactly, and every vertical continuation sits under a cell
    /// of the same span that starts or continues a merge.
    private func validate(_ table: DocxTable, number: Int) throws {
        guard !table.columnWidths.isEmpty, table.columnWidths.allSatisfy({ $0 > 0 }) else {
            throw OfficeError.invalidTable("block \(number): the grid needs positive column widths")
        }
        guard !table.rows.isEmpty else { throw OfficeError.invalidTable("block \(number): a table needs a row") }
        var previous: [Int: (span: Int, merged: Bool)] = [:]
        for (rowIndex, row) in table.rows.enumerated() {
            var current: [Int: (span: Int, merged: Bool)] = [:]
            var column = 0
            for (cellIndex, cell) in row.cells.enumerated() {
                if cell.verticalMerge == .continue {
                    guard let above = previous[column], above.merged, above.span == cell.columnSpan else {
                        throw OfficeError.invalidTable(
                            "block \(number) row \(rowIndex + 1) cell \(cellIndex + 1): vertical merge continues "
                            + "nothing with the same span above")
                    }
                }
                current[column] = (cell.columnSpan, cell.verticalMerge != nil)
                column += cell.columnSpan
            }
            guard column == table.columnWidths.count else {
                throw OfficeError.invalidTable(
                    "block \(number) row \(rowIndex + 1): cells cover \(column) of \(table.columnWidths.count) columns")
            }
            previous = current
        }
    }

    // MARK: Styles and settings

    private func stylesXML() -> Data {
        var out = XMLBuffer()
        let defaults = document.defaultFormat
        out.raw(#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#)
        out.raw("<w:docDefaults><w:rPrDefault><w:rPr>")
        let font = defaults.font ?? "宋体"
        out.raw("<w:rFonts")
        out.attribute("w:ascii", font)
        out.attribute("w:eastAsia", font)
        out.attribute("w:hAnsi", font)
        out.attribute("w:cs", font)
        out.raw(#"/><w:kern w:val="2"/>"#)
        let size = defaults.halfPoints ?? 21
        out.raw("<w:sz")
        out.attribute("w:val", size)
        out.raw("/><w:szCs")
        out.attribute("w:val", size)
        // The East Asian language makes renderers pick Simplified Chinese glyph forms.
        out.raw(#"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#)
        out.raw("<w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>")
        out.raw(#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>"#)
        if defaults.bold || defaults.italic || defaults.color != nil || defaults.underline {
            var inheritedParts = defaults
            inheritedParts.font = nil
            inheritedParts.halfPoints = nil
            writeRunProperties(inheritedParts, into: &out)
        }
        out.raw("</w:style>")
        out.raw(#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">"#
            + #"<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#)
        out.raw(#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#
            + #"<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>"#
            + #"<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>"#
            + #"<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#)
        out.raw(#"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>"#
            + #"<w:pPr><w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs>"#
            + #"<w:snapToGrid w:val="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#)
        out.raw("</w:styles>")
        return out.data
    }

    private func settingsXML() -> Data {
        var out = XMLBuffer()
        out.raw(#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
            + #"<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#
            + #"<w:characterSpacingControl w:val="compressPunctuation"/><w:compat>"#
            + #"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#
            + #"</w:compat></w:settings>"#)
        return out.data
    }
}
