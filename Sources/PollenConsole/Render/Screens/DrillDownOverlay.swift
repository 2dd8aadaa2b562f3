import PollenEngine

/// The details behind a table or an asset: its numbers, each failed (asset, table) pair or
/// rejected records with the reason, and the failed batches with their keys, attempts and
/// last error. Scrolls with the arrows.
struct DrillDownOverlay: Widget {
    let state: ConsoleState
    let target: DrillTarget
    let scroll: Int
    let glyphs: Glyphs

    /// Keys listed per failed batch before the rest are counted.
    static let keysShown = 6

    func render(in area: Rect, buffer: inout CellBuffer) {
        let frame = area.width >= 100 ? area.inset(by: 2) : area
        let title: String
        switch target {
        case .table(let table): title = "Table \(table.rawValue)"
        case .asset(let symbol): title = "Asset \(symbol)"
        }
        let inner = OverlayFrame(title: title, detail: "Up/Down scroll \(glyphs.separator) Esc closes", glyphs: glyphs)
            .render(in: frame, buffer: &buffer)
        guard inner.height > 0 else { return }
        let width = inner.width - 2
        let lines: [[Span]]
        switch target {
        case .table(let table): lines = tableLines(table, width: width)
        case .asset(let symbol): lines = assetLines(symbol, width: width)
        }
        let first = min(scroll, max(0, lines.count - inner.height))
        for (index, spans) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            buffer.write(spans, x: inner.x + 1, y: inner.y + index, maxWidth: width)
        }
    }

    // MARK: - A table

    private func tableLines(_ table: PollenTable, width: Int) -> [[Span]] {
        guard let row = state.tables.first(where: { $0.table == table }) else {
            return [[Span("\(table.rawValue) is not part of the current run", .muted)]]
        }
        let separator = Span("  \(glyphs.separator)  ", .muted)
        var lines: [[Span]] = []
        var identity = [Span("name ", .muted), Span(row.info.name, .text, .bold), separator,
                        Span(row.info.provisionedWCU.map { "\($0) WCU provisioned" } ?? "on-demand", .text), separator,
                        Span("allowed ", .muted),
                        Span(row.allowedUnitsPerSecond.map { NumberText.rate($0) + " units/s" } ?? "unlimited", .accent)]
        if let reason = row.info.unavailable { identity += [separator, Span(reason, .error, .bold)] }
        lines.append(identity)
        if let progress = row.progress {
            lines.append([Span("written ", .muted), Span("\(NumberText.count(progress.written)) of \(NumberText.count(progress.itemsKnown))", .text),
                          separator, Span("failed ", .muted), Span(NumberText.count(progress.failed), progress.failed > 0 ? .error : .text),
                          separator, Span("rejected ", .muted), Span(NumberText.count(progress.rejected), progress.rejected > 0 ? .warn : .text),
                          separator, Span("retries ", .muted), Span(NumberText.count(progress.retries), .text),
                          separator, Span("throttled ", .muted), Span(NumberText.count(progress.throttledRequests), .text),
                          separator, Span("unprocessed ", .muted), Span(NumberText.count(progress.unprocessedItems), .text)])
        }
        let failing = state.assets.rows.compactMap { asset in
            asset.tables[table].flatMap { $0.state == .failed || $0.rejected > 0 ? (asset.symbol, $0) : nil }
        }
        lines.append([])
        lines.append(heading("Failed and rejected, by asset", count: failing.count))
        if failing.isEmpty { lines.append([Span("  none", .muted)]) }
        for (symbol, result) in failing {
            lines += reasonLines(label: symbol, result: result, width: width)
        }
        lines.append([])
        lines += batchLines(state.failures.batches(of: table), width: width, showTable: false)
        return lines
    }

    // MARK: - An asset

    private func assetLines(_ symbol: String, width: Int) -> [[Span]] {
        guard let asset = state.assets[symbol] else { return [[Span("\(symbol) has not started", .muted)]] }
        let separator = Span("  \(glyphs.separator)  ", .muted)
        var lines: [[Span]] = []
        let date = asset.lastPollenationDate.map { "\($0) (\(asset.confirmed ? "confirmed" : "not confirmed"))" } ?? "none"
        var status = [Span(asset.phase.rawValue, asset.phase.role, .bold)]
        if asset.phase == .writing, let started = asset.startedAt {
            status.append(Span(" for " + DurationText.short(max(0, state.clock.runElapsed - started)), .text))
        }
        lines.append(status + [separator, Span("lastPollenationDate ", .muted), Span(date, asset.confirmed ? .text : .warn),
                               separator, Span("attempt \(asset.attempt)", .muted)])
        if let error = asset.markError { lines.append([Span("asset row: ", .error, .bold), Span(error, .error)]) }
        lines.append([])
        lines.append(heading("Tables", count: asset.tables.count))
        for result in asset.tables.values.sorted(by: { $0.table < $1.table }) {
            lines += reasonLines(label: result.table.rawValue, result: result, width: width)
        }
        lines.append([])
        lines += batchLines(state.failures.batches(ofAsset: symbol), width: width, showTable: true)
        return lines
    }

    // MARK: - Pieces

    private func heading(_ text: String, count: Int) -> [Span] {
        [Span(text, .title, .bold), Span(" (\(count))", .muted)]
    }

    /// One (asset, table) result: its counts, then its reason wrapped under it.
    private func reasonLines(label: String, result: TableResult, width: Int) -> [[Span]] {
        let role: ThemeRole = result.state == .failed ? .error : result.state == .nodata ? .muted : .ok
        var lines = [[Span("  " + label.padding(toDisplayWidth: 16), .text, .bold),
                      Span(result.state.rawValue.padding(toDisplayWidth: 8), role, .bold),
                      Span("written \(NumberText.count(result.written))  failed \(NumberText.count(result.failed))  "
                           + "rejected \(NumberText.count(result.rejected))", .muted)]]
        if let reason = result.reason {
            lines += reason.wrapped(toDisplayWidth: width - 4).map { [Span("    " + $0, role == .error ? .error : .text)] }
        }
        return lines
    }

    /// Failed batches, newest first: number, asset, attempts, keys, then the last error.
    private func batchLines(_ batches: [FailedBatch], width: Int, showTable: Bool) -> [[Span]] {
        var lines = [heading("Failed batches", count: batches.count)]
        if batches.isEmpty { lines.append([Span("  none", .muted)]) }
        if state.failures.dropped > 0 {
            lines.append([Span("  \(state.failures.dropped) older failed batches are only in the report", .muted)])
        }
        for batch in batches {
            let failure = batch.failure
            let what = showTable ? failure.table.rawValue : failure.symbol
            lines.append([Span("  #\(failure.batch) ", .text, .bold), Span(what, .text),
                          Span("  \(failure.attempts) attempts \(glyphs.separator) \(failure.keys.count) keys"
                               + (batch.attempt != state.run.attempt ? " \(glyphs.separator) run #\(batch.attempt)" : ""), .muted)])
            var keys = failure.keys.prefix(Self.keysShown).joined(separator: ", ")
            if failure.keys.count > Self.keysShown { keys += ", \(glyphs.ellipsis) \(failure.keys.count - Self.keysShown) more" }
            lines += ("keys: " + keys).wrapped(toDisplayWidth: width - 4).map { [Span("    " + $0, .muted)] }
            lines += ("error: " + failure.error).wrapped(toDisplayWidth: width - 4).map { [Span("    " + $0, .error)] }
        }
        return lines
    }
}
