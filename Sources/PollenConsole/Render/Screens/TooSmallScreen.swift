/// Shown instead of the panels when the terminal is smaller than the console needs.
struct TooSmallScreen: Widget {
    let minimumWidth: Int
    let minimumHeight: Int
    /// Whether `q` was pressed and the console waits for y or n.
    let confirmingQuit: Bool
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        let size = "need \(minimumWidth)\(glyphs.times)\(minimumHeight), have \(area.width)\(glyphs.times)\(area.height)"
        let lines: [(String, ThemeRole)] = [
            ("terminal too small (\(size))", .warn),
            confirmingQuit ? ("quit while writes are in flight? y / n", .text) : ("enlarge the window, or press q to quit", .muted),
        ]
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (index, (text, role)) in lines.enumerated() {
            let lineWidth = min(DisplayWidth.of(text), area.width)
            buffer.write(text, x: area.x + max(0, (area.width - lineWidth) / 2), y: top + index, maxWidth: area.width,
                         style: CellStyle(role, role == .warn ? .bold : []))
        }
    }
}
