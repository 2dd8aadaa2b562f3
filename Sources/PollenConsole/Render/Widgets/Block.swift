/// A panel's frame: a border with the title at the top left and a detail at the top right;
/// the focused panel's border stands out.
struct Block {
    var title: String
    var detail: String?
    var focused = false
    let glyphs: Glyphs

    /// Draws the frame and returns the area inside it.
    @discardableResult
    func render(in area: Rect, buffer: inout CellBuffer) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let border = CellStyle(focused ? .focus : .border)
        let horizontal = String(repeating: glyphs.horizontal, count: area.width - 2)
        buffer.put(glyphs.topLeft, x: area.x, y: area.y, style: border)
        buffer.write(horizontal, x: area.x + 1, y: area.y, style: border)
        buffer.put(glyphs.topRight, x: area.maxX - 1, y: area.y, style: border)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.put(glyphs.vertical, x: area.x, y: y, style: border)
            buffer.put(glyphs.vertical, x: area.maxX - 1, y: y, style: border)
        }
        buffer.put(glyphs.bottomLeft, x: area.x, y: area.maxY - 1, style: border)
        buffer.write(horizontal, x: area.x + 1, y: area.maxY - 1, style: border)
        buffer.put(glyphs.bottomRight, x: area.maxX - 1, y: area.maxY - 1, style: border)

        var titleEnd = area.x + 1
        if !title.isEmpty {
            titleEnd += buffer.write(" \(title) ", x: area.x + 1, y: area.y, maxWidth: area.width - 4,
                                     style: CellStyle(focused ? .focus : .title, .bold))
        }
        if let detail, !detail.isEmpty {  // only whole: a cut detail reads worse than none
            let text = " \(detail) "
            let width = DisplayWidth.of(text)
            if width <= area.maxX - 2 - (titleEnd + 1) {
                buffer.write(text, x: area.maxX - 2 - width, y: area.y, style: CellStyle(.muted))
            }
        }
        return area.inset(by: 1)
    }
}
