import Foundation

/// Relationship and content-type bookkeeping shared by the .docx and .xlsx writers.
struct Relationships {
    struct Entry {
        let id: String
        let type: String
        let target: String
    }

    private(set) var entries: [Entry] = []

    /// Adds a relationship and returns its id ("rId1", "rId2", ...).
    @discardableResult
    mutating func add(type: String, target: String) -> String {
        let id = "rId\(entries.count + 1)"
        entries.append(Entry(id: id, type: type, target: target))
        return id
    }

    var xml: Data {
        var out = XMLBuffer()
        out.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        for entry in entries {
            out.raw("<Relationship")
            out.attribute("Id", entry.id)
            out.attribute("Type", entry.type)
            out.attribute("Target", entry.target)
            out.raw("/>")
        }
        out.raw("</Relationships>")
        return out.data
    }

    static let officeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    static let coreProperties =
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    static let styles = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
    static let settings = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
    static let footer = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
    static let image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    static let worksheet = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    static let sharedStrings = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
}

/// `[Content_Types].xml`: defaults by extension plus overrides by part name.
struct ContentTypes {
    private var defaults: [(String, String)] = [
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
    ]
    private var overrides: [(String, String)] = []

    mutating func addDefault(extension ext: String, contentType: String) {
        guard !defaults.contains(where: { $0.0 == ext }) else { return }
        defaults.append((ext, contentType))
    }

    mutating func addOverride(part: String, contentType: String) {
        overrides.append((part, contentType))
    }

    var xml: Data {
        var out = XMLBuffer()
        out.raw(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        for (ext, type) in defaults {
            out.raw("<Default")
            out.attribute("Extension", ext)
            out.attribute("ContentType", type)
            out.raw("/>")
        }
        for (part, type) in overrides {
            out.raw("<Override")
            out.attribute("PartName", part)
            out.attribute("ContentType", type)
            out.raw("/>")
        }
        out.raw("</Types>")
        return out.data
    }

    static let coreProperties = "application/vnd.openxmlformats-package.core-properties+xml"
}

/// `docProps/core.xml` with a title, so viewers show it instead of the file name.
func corePropertiesXML(title: String) -> Data {
    var out = XMLBuffer()
    out.raw(#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
        + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
        + #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>"#)
    out.text(title)
    out.raw("</dc:title></cp:coreProperties>")
    return out.data
}
