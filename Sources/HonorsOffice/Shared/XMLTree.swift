import Foundation

/// A small element tree for reading parts back. Names are local (prefix dropped) because files saved
/// by other tools use other prefixes, or none, for the same namespaces.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    private(set) var children: [XMLNode] = []
    /// Character data directly inside this element.
    fileprivate(set) var text: String = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// An attribute by local name, whatever its prefix.
    func attribute(_ localName: String) -> String? {
        if let value = attributes[localName] { return value }
        for (key, value) in attributes where XMLNode.localName(key) == localName { return value }
        return nil
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// Every descendant with the name, in document order, not descending into matches.
    func descendants(_ name: String) -> [XMLNode] {
        var found: [XMLNode] = []
        for child in children {
            if child.name == name { found.append(child) } else { found.append(contentsOf: child.descendants(name)) }
        }
        return found
    }

    fileprivate func append(_ child: XMLNode) { children.append(child) }

    static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    /// Parses a whole part; throws naming the part when it is not well-formed, `XMLScanner.TooDeep` past
    /// `maximumDepth`.
    static func parse(_ data: Data, part: String, maximumDepth: Int = 256) throws -> XMLNode {
        var builder = TreeBuilder()
        do {
            try XMLScanner.scan(data, handler: &builder, maximumDepth: maximumDepth)
        } catch let tooDeep as XMLScanner.TooDeep {
            throw tooDeep
        } catch {
            throw OfficeError.malformedXML(part: part, reason: String(describing: error))
        }
        guard let root = builder.root else { throw OfficeError.malformedXML(part: part, reason: "no root element") }
        return root
    }
}

private struct TreeBuilder: XMLScanner.Handler {
    var root: XMLNode?
    private var stack: [XMLNode] = []

    mutating func start(_ name: Substring, attributes: [Substring: String]) {
        var plain: [String: String] = [:]
        for (key, value) in attributes { plain[String(key)] = value }
        let node = XMLNode(name: String(name), attributes: plain)
        if let parent = stack.last { parent.append(node) } else { root = node }
        stack.append(node)
    }

    mutating func end(_ name: Substring) {
        _ = stack.popLast()
    }

    mutating func text(_ text: String) {
        stack.last?.text += text
    }
}
