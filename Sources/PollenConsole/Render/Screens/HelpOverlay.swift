/// Every key of the key map with what it does, generated from the key map so it cannot drift.
struct HelpOverlay: Widget {
    let keyMap: KeyMap
    let glyphs: Glyphs

    /// Keys the host owns rather than the console, described after the key map.
    static let hostKeys = "Ctrl-C: the first drains the run (in-flight batches finish), the second aborts."

    func render(in area: Rect, buffer: inout CellBuffer) {
        let keyWidth = keyMap.bindings.map { DisplayWidth.of($0.keyLabel) }.max() ?? 0
        let entryWidth = keyWidth + 2 + (keyMap.bindings.map { DisplayWidth.of($0.help) }.max() ?? 0)
        let rowsAvailable = area.height - 5
        let columns = keyMap.bindings.count > rowsAvailable && area.width >= 2 * entryWidth + 7 ? 2 : 1
        let rows = (keyMap.bindings.count + columns - 1) / columns
        let width = min(area.width, max(columns * entryWidth + (columns - 1) * 3 + 4, DisplayWidth.of(Self.hostKeys) + 4))
        let frame = area.centered(width: width, height: min(area.height, rows + 4))
        let inner = OverlayFrame(title: "Keys", detail: "? or Esc closes", glyphs: glyphs).render(in: frame, buffer: &buffer)
        for (index, binding) in keyMap.bindings.enumerated() {
            let row = index % rows, column = index / rows
            guard row < inner.height - 2 else { continue }
            let x = inner.x + 1 + column * (entryWidth + 3)
            buffer.write([Span(binding.keyLabel.padding(toDisplayWidth: keyWidth + 2), .accent, .bold), Span(binding.help)],
                         x: x, y: inner.y + row, maxWidth: min(entryWidth, inner.maxX - 1 - x))
        }
        buffer.write(Self.hostKeys, x: inner.x + 1, y: inner.maxY - 1, maxWidth: inner.width - 2, style: CellStyle(.muted))
    }
}
