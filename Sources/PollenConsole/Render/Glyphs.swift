/// The characters the console draws with: Unicode box drawing and blocks in a UTF-8 locale,
/// plain ASCII otherwise, so the screen stays legible on any terminal.
public struct Glyphs: Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// A filled and an empty cell of a progress bar.
    public var barFull: Character
    public var barEmpty: Character
    /// Partly filled bar cells, one eighth to seven eighths.
    public var barEighths: [Character]
    /// Column graph levels, one eighth to full.
    public var graphEighths: [Character]
    /// The capacity line drawn across a graph.
    public var capacityLine: Character
    public var ellipsis: Character
    public var check: Character
    public var cross: Character
    public var alert: Character
    public var separator: Character
    public var times: Character
    public var infinity: String
    /// Before a measured (not announced) number.
    public var approximately: String
    /// From what is to what was asked for.
    public var arrow: String
    /// Whether graphs may draw with braille dots (2×4 per cell).
    public var braille: Bool

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        barFull: "█", barEmpty: "░", barEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"],
        graphEighths: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], capacityLine: "╌", ellipsis: "…",
        check: "✓", cross: "✗", alert: "▲", separator: "·", times: "×", infinity: "∞",
        approximately: "≈", arrow: "→", braille: true)

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        barFull: "#", barEmpty: ".", barEighths: [],
        graphEighths: [".", ".", "-", "-", "=", "=", "#", "#"], capacityLine: "-", ellipsis: "~",
        check: "+", cross: "x", alert: "!", separator: "|", times: "x", infinity: "inf",
        approximately: "~", arrow: "->", braille: false)

    public static func forUnicode(_ unicode: Bool) -> Glyphs { unicode ? .unicode : .ascii }
}
