/// Per table over the sliding window: the share of requests pushed back (throttled or with
/// unprocessed items) and unprocessed items per second, with the run's totals and DynamoDB's
/// reason for the latest throttle (provisioned, key range, account limit, on-demand maximum).
struct ThrottlePanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    private enum Field { case table, bar, percent, throttled, unprocessedRate, unprocessed, reason }

    func render(in area: Rect, buffer: inout CellBuffer) {
        let overall = state.run.progress.map { NumberText.percent($0.throttledPercent) + " overall" }
        let inner = Block(title: "Throttling \(glyphs.separator) last 10s", detail: overall, glyphs: glyphs)
            .render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let layout = ColumnLayout<Field>([
            .init(id: .table, title: "TABLE", width: 15, alignment: .left),
            .init(id: .bar, title: "PUSHED BACK", width: 10, alignment: .left, priority: 3, grows: true),
            .init(id: .percent, title: "THR%", width: 4),
            .init(id: .throttled, title: "THROTTLED", width: 9, priority: 2),
            .init(id: .unprocessedRate, title: "UNPROC/S", width: 8),
            .init(id: .unprocessed, title: "UNPROC", width: 7, priority: 2),
            .init(id: .reason, title: "REASON", width: 12, alignment: .left, priority: 1),
        ], x: inner.x + 1, width: inner.width - 2)
        layout.renderTitles(y: inner.y, buffer: &buffer)
        for (index, row) in state.tables.enumerated() where index + 1 < inner.height {
            let y = inner.y + 1 + index
            let progress = row.progress
            let percent = progress?.throttledPercent ?? 0
            let role: ThemeRole = percent > 20 ? .error : percent >= 1 ? .warn : .muted
            for column in layout.placed {
                func cell(_ text: String, _ role: ThemeRole) {
                    ColumnLayout.write(text, in: column, y: y, style: CellStyle(role), buffer: &buffer)
                }
                switch column.column.id {
                case .table: cell(row.table.rawValue, .text)
                case .bar:
                    ProgressBar(fraction: percent / 100, label: nil, glyphs: glyphs, fill: percent > 20 ? .error : .warn)
                        .render(in: Rect(x: column.x, y: y, width: column.width, height: 1), buffer: &buffer)
                case .percent: cell(NumberText.percent(percent), role)
                case .throttled:
                    let count = progress?.throttledRequests ?? 0
                    cell(NumberText.count(count), count > 0 ? .warn : .muted)
                case .unprocessedRate:
                    let rate = progress?.unprocessedPerSecond ?? 0
                    cell(NumberText.rate(rate), rate > 0 ? .warn : .muted)
                case .unprocessed:
                    let count = progress?.unprocessedItems ?? 0
                    cell(NumberText.count(count), count > 0 ? .warn : .muted)
                case .reason:
                    cell(progress?.lastThrottleReason.map(Self.shortReason) ?? "-",
                         progress?.lastThrottleReason == nil ? .muted : .warn)
                }
            }
        }
    }

    /// `TableWriteKeyRangeThroughputExceeded` -> `KeyRange`: the limit, without what every reason says.
    static func shortReason(_ reason: String) -> String {
        var text = Substring(reason)
        for prefix in ["TableWrite", "IndexWrite", "TableRead", "IndexRead"] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        for suffix in ["ThroughputExceeded", "Exceeded"] where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            break
        }
        return text.isEmpty ? reason : String(text)
    }
}
