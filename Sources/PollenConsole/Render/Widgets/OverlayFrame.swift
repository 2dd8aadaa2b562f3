/// The frame of a window drawn over the panels: it blanks what is under it, then draws a
/// focused block.
struct OverlayFrame {
    var title: String
    var detail: String?
    let glyphs: Glyphs

    /// Draws the frame and returns the area inside it.
    func render(in area: Rect, buffer: inout CellBuffer) -> Rect {
        buffer.fill(area, style: CellStyle(.background))
        return Block(title: title, detail: detail, focused: true, glyphs: glyphs).render(in: area, buffer: &buffer)
    }
}
