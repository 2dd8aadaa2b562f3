/// The operating alerts active now (since when, and their value), then the last ones cleared.
struct AlertsPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        let active = state.alerts.active
        let inner = Block(title: "Alerts", detail: active.isEmpty ? "all clear" : "\(active.count) active", glyphs: glyphs)
            .render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        var lines: [[Span]] = []
        for entry in active {
            lines.append([Span("\(glyphs.alert) ", .error, .bold), Span(entry.alert.message, .error, .bold)])
            lines.append([Span("  now ", .muted), Span(LogLineFormatter.alertValue(entry.alert), .text, .bold),
                          Span(" \(glyphs.separator) since \(DurationText.clock(entry.at))", .muted)])
        }
        lines += state.alerts.cleared.map { entry in
            [Span("\(glyphs.check) ", .ok), Span("cleared: \(entry.alert.message)", .muted),
             Span("  at \(DurationText.clock(entry.at))", .muted)]
        }
        if lines.isEmpty { lines = [[Span("no alert raised", .muted)]] }
        for (index, spans) in lines.prefix(inner.height).enumerated() {
            buffer.write(spans, x: inner.x + 1, y: inner.y + index, maxWidth: inner.width - 2)
        }
    }
}
