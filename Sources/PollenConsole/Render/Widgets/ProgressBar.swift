/// A horizontal bar filled to a fraction, in eighths of a cell where the glyphs allow, with an
/// optional label (`62%`) laid over its middle.
struct ProgressBar: Widget {
    var fraction: Double
    var label: String?
    let glyphs: Glyphs
    var fill: ThemeRole = .barFill

    func render(in area: Rect, buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((clamped * Double(area.width * 8)).rounded())
        let full = eighths / 8
        let partial = glyphs.barEighths.isEmpty ? 0 : eighths % 8
        for column in 0..<area.width {
            let x = area.x + column
            if column < full {
                buffer.put(glyphs.barFull, x: x, y: area.y, style: CellStyle(fill))
            } else if column == full && partial > 0 {
                buffer.put(glyphs.barEighths[partial - 1], x: x, y: area.y, style: CellStyle(fill))
            } else {
                buffer.put(glyphs.barEmpty, x: x, y: area.y, style: CellStyle(.barEmpty))
            }
        }
        guard let label, DisplayWidth.of(label) <= area.width else { return }
        let start = area.x + (area.width - DisplayWidth.of(label)) / 2
        var offset = 0
        for character in label {
            // Over the filled part the label is drawn reversed so it stays readable.
            let filled = start + offset - area.x < full
            buffer.put(character, x: start + offset, y: area.y,
                       style: filled ? CellStyle(fill, [.reverse, .bold]) : CellStyle(.text, .bold))
            offset += DisplayWidth.of(character)
        }
    }
}
