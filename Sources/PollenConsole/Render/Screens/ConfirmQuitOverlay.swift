/// "Quit while writes are in flight?": quitting drains the run, so nothing is lost.
struct ConfirmQuitOverlay: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        let message = state.run.state == .draining
            ? "The run is already draining: in-flight batches finish and are journaled."
            : "Writes are in flight. Quitting drains the run: in-flight batches finish and are journaled, and the run can be resumed with --resume."
        let width = min(area.width - 4, 60)
        let lines = message.wrapped(toDisplayWidth: width - 4)
        let frame = area.centered(width: width, height: lines.count + 4)
        let inner = OverlayFrame(title: "Quit?", glyphs: glyphs).render(in: frame, buffer: &buffer)
        for (index, line) in lines.enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.y + index, maxWidth: inner.width - 2, style: CellStyle(.text))
        }
        let keys = [Span("y", .accent, .bold), Span(" quit   ", .text), Span("n", .accent, .bold), Span(" keep watching", .text)]
        buffer.write(keys, x: inner.maxX - 1 - keys.width, y: inner.maxY - 1, maxWidth: keys.width)
    }
}
