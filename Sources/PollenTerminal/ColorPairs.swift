import CNcurses
import PollenConsole

/// A theme as ncurses draws it: one color pair and attribute set per role, with the theme's
/// colors brought down to what the terminal has (8, 16 or 256 colors), or attributes only
/// without color.
struct ColorPairs {
    private var pairs: [Int16]
    private var attributes: [attr_t]
    private static let roles = ThemeRole.allCases
    private static let positions = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1, $0) })

    /// Registers the pairs of `theme` with ncurses (when `color`) and keeps them for drawing.
    /// `defaultColors` says whether the terminal's own colors (-1) may be used.
    init(theme: Theme, color: Bool, colorCount: Int, defaultColors: Bool) {
        pairs = []
        attributes = []
        for (index, role) in Self.roles.enumerated() {
            let style = theme.style(for: CellStyle(role), color: color)
            attributes.append(Self.attributes(style.attributes))
            guard color else {
                pairs.append(0)
                continue
            }
            func terminalColor(_ color: ThemeColor, fallback: Int) -> Int16 {
                let mapped = color.index(colorCount: colorCount)
                return Int16(mapped < 0 && !defaultColors ? fallback : mapped)
            }
            let pair = Int16(index + 1)
            init_pair(pair, terminalColor(style.foreground, fallback: 7), terminalColor(style.background, fallback: 0))
            pairs.append(pair)
        }
    }

    /// The pair and attributes of a cell.
    func look(of style: CellStyle) -> (pair: Int16, attributes: attr_t) {
        let index = Self.positions[style.role]!
        return (pairs[index], attributes[index] | Self.attributes(style.attributes))
    }

    static func attributes(_ attributes: CellAttributes) -> attr_t {
        var result = pollen_a_normal()
        if attributes.contains(.bold) { result |= pollen_a_bold() }
        if attributes.contains(.dim) { result |= pollen_a_dim() }
        if attributes.contains(.reverse) { result |= pollen_a_reverse() }
        if attributes.contains(.underline) { result |= pollen_a_underline() }
        return result
    }
}
