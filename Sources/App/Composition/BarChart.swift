import Foundation
import HonorsOffice

/// A horizontal bar chart drawn as SVG by Honors itself (no script, no network). Series are told apart by
/// fill — solid, hatched, outlined — rather than by colour, and every bar carries its figure as text, so a
/// black-and-white print reads as well as the screen.
struct BarChart: Sendable {
    enum Style: Sendable { case solid, hatched, outlined }

    struct Series: Sendable {
        let label: String
        let style: Style
    }

    struct Group: Sendable {
        let label: String
        /// One value per series, on the chart's scale (0…`maximum`).
        let values: [Double]
        /// The figure written after each bar.
        let texts: [String]
    }

    /// Unique on its page: the hatch pattern is named after it.
    let id: String
    /// Read out by screen readers and shown as the SVG's title.
    let title: String
    let series: [Series]
    let groups: [Group]
    let maximum: Double
    /// A dashed line across the bars at this value, with its label (the front-line half).
    var reference: (value: Double, label: String)? = nil

    private static let labelWidth = 168.0, barWidth = 330.0, textWidth = 130.0
    private static let barHeight = 13.0, barGap = 3.0, groupGap = 12.0, legendHeight = 28.0

    var svg: String {
        let width = Self.labelWidth + Self.barWidth + Self.textWidth
        let groupHeight = Double(series.count) * (Self.barHeight + Self.barGap) - Self.barGap
        let height = Self.legendHeight + Double(groups.count) * (groupHeight + Self.groupGap) + 4
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="\(id)-title" \
            viewBox="0 0 \(Self.number(width)) \(Self.number(height))" width="\(Self.number(width))" height="\(Self.number(height))" \
            font-size="12"><title id="\(id)-title">\(Self.escape(title))</title>\
            <defs><pattern id="\(id)-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <rect width="5" height="5" fill="#fff"/><line x1="0" y1="0" x2="0" y2="5" stroke="#222" stroke-width="2"/></pattern></defs>
            """
        // Legend: a swatch and the series' name each.
        var x = Self.labelWidth
        for item in series {
            out += "<rect x=\"\(Self.number(x))\" y=\"6\" width=\"14\" height=\"11\" \(fill(item.style))/>"
            out += "<text x=\"\(Self.number(x + 19))\" y=\"15\">\(Self.escape(item.label))</text>"
            x += 34 + Double(item.label.count) * 12
        }
        let scale = maximum > 0 ? Self.barWidth / maximum : 0
        var y = Self.legendHeight
        for group in groups {
            out += "<text x=\"\(Self.number(Self.labelWidth - 8))\" y=\"\(Self.number(y + groupHeight / 2 + 4))\" text-anchor=\"end\">\(Self.escape(group.label))</text>"
            for (index, item) in series.enumerated() {
                let value = index < group.values.count ? max(0, min(group.values[index], maximum)) : 0
                let length = value * scale
                let top = y + Double(index) * (Self.barHeight + Self.barGap)
                if length > 0 {
                    out += "<rect x=\"\(Self.number(Self.labelWidth))\" y=\"\(Self.number(top))\" width=\"\(Self.number(length))\" height=\"\(Self.number(Self.barHeight))\" \(fill(item.style))/>"
                }
                let text = index < group.texts.count ? group.texts[index] : ""
                out += "<text x=\"\(Self.number(Self.labelWidth + length + 5))\" y=\"\(Self.number(top + Self.barHeight - 2))\">\(Self.escape(text))</text>"
            }
            y += groupHeight + Self.groupGap
        }
        // The axis, and the reference line over the bars.
        out += "<line x1=\"\(Self.number(Self.labelWidth))\" y1=\"\(Self.number(Self.legendHeight - 4))\" x2=\"\(Self.number(Self.labelWidth))\" y2=\"\(Self.number(y - Self.groupGap + 4))\" stroke=\"#222\"/>"
        if let reference, maximum > 0 {
            let rx = Self.labelWidth + min(reference.value, maximum) * scale
            out += "<line x1=\"\(Self.number(rx))\" y1=\"\(Self.number(Self.legendHeight - 6))\" x2=\"\(Self.number(rx))\" y2=\"\(Self.number(y - Self.groupGap + 4))\" stroke=\"#222\" stroke-dasharray=\"4 3\"/>"
            out += "<text x=\"\(Self.number(rx + 4))\" y=\"\(Self.number(Self.legendHeight - 8))\" font-size=\"11\">\(Self.escape(reference.label))</text>"
        }
        return out + "</svg>"
    }

    private func fill(_ style: Style) -> String {
        switch style {
        case .solid: "fill=\"#333\""
        case .hatched: "fill=\"url(#\(id)-hatch)\" stroke=\"#222\""
        case .outlined: "fill=\"#fff\" stroke=\"#222\""
        }
    }

    /// Coordinates with at most one decimal, so the markup stays short and stable.
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(Int(tenths) / 10).\(abs(Int(tenths)) % 10)"
    }

    /// Labels (committee names among them) as SVG text: the one XML escape of the project.
    static func escape(_ text: String) -> String { XMLText.escaped(text) }
}
