/// The event log, newest at the bottom: what failed and why, throttling, retries, alerts and
/// marks, with errors highlighted; filtered with `/`, scrolled back with the arrows.
struct EventLogPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs
    let focused: Bool

    static let kindWidth = 9

    func render(in area: Rect, buffer: inout CellBuffer) {
        let log = state.log
        var details: [String] = []
        if let filter = log.filter { details.append("filter \"\(filter)\"") }
        if log.scrollBack > 0 { details.append("\(log.scrollBack) newer below") }
        let inner = Block(title: "Events", detail: details.isEmpty ? "\(NumberText.count(log.count)) lines" : details.joined(separator: ", "),
                          focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let lines = log.visibleLines(inner.height)
        if lines.isEmpty {
            let text = log.filter == nil ? "nothing to report yet" : "no line matches the filter"
            buffer.write(text, x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2, style: CellStyle(.muted))
        }
        let showsAttempt = state.run.attempt > 1  // times restart with each run
        for (index, line) in lines.enumerated() {
            let textRole: ThemeRole = line.severity == .error ? .error : .text
            let time = (showsAttempt ? "#\(line.attempt) " : "") + DurationText.clock(line.elapsed) + " "
            let spans = [
                Span(time, .muted),
                Span(line.kind.padding(toDisplayWidth: Self.kindWidth) + " ", line.severity.role, [.bold]),
                Span(line.text, textRole, line.severity == .milestone ? [.bold] : []),
            ]
            buffer.write(spans, x: inner.x + 1, y: inner.y + index, maxWidth: inner.width - 2)
        }
    }
}
