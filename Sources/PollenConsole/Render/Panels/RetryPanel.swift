import PollenEngine

/// Retries by attempt number and by reason (throttling, unprocessed items, transient errors),
/// and the batches backing off now with their countdown, the next one due first.
struct RetryPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    private enum Field { case table, symbol, batch, attempt, reason, countdown }

    func render(in area: Rect, buffer: inout CellBuffer) {
        let retries = state.retries
        let inner = Block(title: "Retries & backoff", detail: "\(NumberText.count(retries.total)) retries",
                          glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let x = inner.x + 1, width = inner.width - 2
        var lines: [[Span]] = []
        lines.append(Self.fitting(width, reasonLine(long: true), reasonLine(long: false)))
        var byAttempt: [Span] = [Span("by attempt", .muted)]
        for attempt in retries.byAttempt.keys.sorted() {
            byAttempt += [Span("  #\(attempt) ", .muted), Span(NumberText.compact(retries.byAttempt[attempt]!), .text, .bold)]
        }
        if retries.byAttempt.isEmpty { byAttempt.append(Span("  none yet", .muted)) }
        lines.append(byAttempt)

        let elapsed = state.clock.runElapsed
        let waiting = retries.backingOff
        if let next = waiting.first {
            let remaining = next.remaining(at: elapsed)
            lines.append([Span("\(waiting.count) backing off", .warn, .bold),
                          Span(" \(glyphs.separator) next " + (remaining > 0 ? "in " : ""), .muted),
                          Span(Self.countdown(remaining), .text, .bold)])
        } else {
            lines.append([Span("nothing backing off", .muted)])
        }
        for (index, spans) in lines.enumerated() where index < inner.height {
            buffer.write(spans, x: x, y: inner.y + index, maxWidth: width)
        }

        let layout = ColumnLayout<Field>([
            .init(id: .table, title: "", width: 12, alignment: .left),
            .init(id: .symbol, title: "", width: 6, alignment: .left),
            .init(id: .batch, title: "", width: 6, priority: 3),
            .init(id: .attempt, title: "", width: 2, priority: 2),
            .init(id: .reason, title: "", width: 5, alignment: .left, priority: 2),
            .init(id: .countdown, title: "", width: 5),
        ], x: x, width: width)
        for (index, entry) in waiting.prefix(max(0, inner.height - lines.count)).enumerated() {
            let y = inner.y + lines.count + index
            let retry = entry.retry
            for column in layout.placed {
                func cell(_ text: String, _ role: ThemeRole) {
                    ColumnLayout.write(text, in: column, y: y, style: CellStyle(role), buffer: &buffer)
                }
                switch column.column.id {
                case .table: cell(retry.table.rawValue, .text)
                case .symbol: cell(retry.symbol, .text)
                case .batch: cell("#\(retry.batch)", .muted)
                case .attempt: cell("a\(retry.attempt)", .muted)
                case .reason: cell(Self.reasonLabel(retry.reason), .warn)
                case .countdown: cell(Self.countdown(entry.remaining(at: elapsed)), .text)
                }
            }
        }
    }

    /// Retries by reason, spelled out or abbreviated.
    private func reasonLine(long: Bool) -> [Span] {
        let labels: [(RetryReason, String)] = long
            ? [(.throttled, "throttled"), (.unprocessed, "unprocessed"), (.transient, "transient")]
            : [(.throttled, "thrtl"), (.unprocessed, "unpr"), (.transient, "trans")]
        var spans: [Span] = []
        for (reason, label) in labels {
            let count = state.retries.byReason[reason] ?? 0
            if !spans.isEmpty { spans.append(Span("  ")) }
            spans += [Span(label + " ", .muted), Span(NumberText.compact(count), count > 0 ? .warn : .muted, .bold)]
        }
        return spans
    }

    /// The first of `candidates` that fits in `width`, else the last.
    private static func fitting(_ width: Int, _ candidates: [Span]...) -> [Span] {
        candidates.first { $0.width <= width } ?? candidates.last!
    }

    /// Seconds until a retry, or `due` once its backoff is over (it goes with the next free slot).
    static func countdown(_ seconds: Double) -> String {
        seconds > 0 ? DurationText.short(seconds) : "due"
    }

    static func reasonLabel(_ reason: RetryReason) -> String {
        switch reason {
        case .throttled: return "thrtl"
        case .unprocessed: return "unpr"
        case .transient: return "trans"
        }
    }
}
