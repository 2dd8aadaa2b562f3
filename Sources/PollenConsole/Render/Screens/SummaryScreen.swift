import PollenEngine

/// What the run did, once it has ended: the outcome and exit code, per-table totals, what
/// failed and why, and every asset's status with its confirmed `lastPollenationDate`.
struct SummaryScreen: Widget {
    let state: ConsoleState
    let summary: RunSummary
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        let outcome = outcomeLines
        let failures = failureLines
        let (outcomeArea, afterOutcome) = area.splitTop(outcome.count + 2)
        let (tablesArea, afterTables) = afterOutcome.splitTop(max(1, state.tables.count) + 3)
        let failuresHeight = min(failures.count + 2, max(4, (afterTables.height + 1) / 2))
        let (failuresArea, assetsArea) = afterTables.splitTop(failuresHeight)

        let title = "Run finished \(glyphs.separator) \(summary.status.rawValue) \(glyphs.separator) exit code \(summary.exitCode)"
        let inner = Block(title: title, detail: "took \(DurationText.short(summary.elapsedSeconds))", glyphs: glyphs)
            .render(in: outcomeArea, buffer: &buffer)
        buffer.restyle(Rect(x: outcomeArea.x + 2, y: outcomeArea.y, width: DisplayWidth.of(title) + 2, height: 1),
                       style: CellStyle(summary.status.role, .bold))
        write(outcome, in: inner, buffer: &buffer)
        renderTables(in: tablesArea, buffer: &buffer)
        let failuresInner = Block(title: "What failed and why", detail: "Enter on a table or asset for details",
                                  glyphs: glyphs).render(in: failuresArea, buffer: &buffer)
        write(failures, in: failuresInner, buffer: &buffer)
        renderAssets(in: assetsArea, buffer: &buffer)
    }

    private func write(_ lines: [[Span]], in inner: Rect, buffer: inout CellBuffer) {
        guard inner.height > 0 else { return }
        let shown = lines.count > inner.height ? inner.height - 1 : lines.count
        for (index, spans) in lines.prefix(shown).enumerated() {
            buffer.write(spans, x: inner.x + 1, y: inner.y + index, maxWidth: inner.width - 2)
        }
        if shown < lines.count {
            buffer.write("\(glyphs.ellipsis) \(lines.count - shown) more", x: inner.x + 1, y: inner.y + shown,
                         maxWidth: inner.width - 2, style: CellStyle(.muted))
        }
    }

    // MARK: - Outcome

    private var outcomeLines: [[Span]] {
        let separator = Span("  \(glyphs.separator)  ", .muted)
        var first = [Span("report ", .muted), Span(summary.report ?? "not written", summary.report == nil ? .warn : .text, .bold)]
        first += [separator, Span("process exits with ", .muted), Span("\(summary.exitCode)", summary.status.role, .bold)]
        var lines = [first]
        if state.attempts.count > 1 {
            var history: [Span] = [Span("attempts ", .muted)]
            for (index, attempt) in state.attempts.enumerated() {
                if index > 0 { history.append(separator) }
                let what = attempt.rerun.map { " (\($0.description))" } ?? ""
                history += [Span("#\(attempt.number)\(what) ", .muted), Span(attempt.status.rawValue, attempt.status.role, .bold),
                            Span(" exit \(attempt.exitCode)", .muted)]
            }
            lines.append(history)
        }
        if let fatal = summary.fatalError {
            lines.append([Span("fatal: ", .error, .bold), Span(fatal, .error)])
        } else if summary.interrupted {
            lines.append([Span("interrupted: ", .warn, .bold),
                          Span("in-flight batches finished and were journaled; resume with --resume", .text)])
        }
        if !summary.alerts.isEmpty {
            lines.append([Span("alerts at the end: ", .warn, .bold),
                          Span(summary.alerts.map(\.message).joined(separator: "; "), .warn)])
        }
        return lines
    }

    // MARK: - Tables

    private enum Field { case table, written, failed, rejected, duplicates, retries, throttled, unprocessed, units, result }

    private func renderTables(in area: Rect, buffer: inout CellBuffer) {
        let focused = state.ui.focus == .tables
        let inner = Block(title: "Tables", focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let layout = ColumnLayout<Field>([
            .init(id: .table, title: "TABLE", width: 15, alignment: .left),
            .init(id: .written, title: "WRITTEN", width: 9),
            .init(id: .failed, title: "FAILED", width: 7),
            .init(id: .rejected, title: "REJECTED", width: 8),
            .init(id: .duplicates, title: "DUPLICATES", width: 10, priority: 3),
            .init(id: .retries, title: "RETRIES", width: 7, priority: 2),
            .init(id: .throttled, title: "THROTTLED", width: 9, priority: 2),
            .init(id: .unprocessed, title: "UNPROCESSED", width: 11, priority: 3),
            .init(id: .units, title: "WCU USED", width: 9, priority: 3),
            .init(id: .result, title: "RESULT", width: 16, alignment: .left, grows: true),
        ], x: inner.x + 1, width: inner.width - 2)
        layout.renderTitles(y: inner.y, buffer: &buffer)
        for (index, row) in state.tables.enumerated() where index + 1 < inner.height {
            let y = inner.y + 1 + index
            let totals = summary.tables[row.table]
            for column in layout.placed {
                func cell(_ text: String, _ role: ThemeRole = .text, _ attributes: CellAttributes = []) {
                    ColumnLayout.write(text, in: column, y: y, style: CellStyle(role, attributes), buffer: &buffer)
                }
                func count(_ value: Int, alarm: ThemeRole) { cell(NumberText.count(value), value > 0 ? alarm : .muted) }
                switch column.column.id {
                case .table: cell(row.table.rawValue, .text, .bold)
                case .written: cell(NumberText.count(totals?.written ?? 0))
                case .failed: count(totals?.failed ?? 0, alarm: .error)
                case .rejected: count(totals?.rejected ?? 0, alarm: .warn)
                case .duplicates: count(totals?.duplicates ?? 0, alarm: .muted)
                case .retries: count(totals?.retries ?? 0, alarm: .text)
                case .throttled: count(totals?.throttled ?? 0, alarm: .warn)
                case .unprocessed: count(totals?.unprocessed ?? 0, alarm: .warn)
                case .units: cell(NumberText.rate(totals?.consumedUnits ?? 0), .muted)
                case .result:
                    if let reason = row.info.unavailable {
                        cell("MISSING: \(reason)", .error, .bold)
                    } else if row.pairsFailed > 0 || (totals?.failed ?? 0) > 0 {
                        let assets = state.assetsFailing(row.table).count
                        cell("FAILED for \(assets) asset\(assets == 1 ? "" : "s")", .error, .bold)
                    } else {
                        cell("ok", .ok, .bold)
                    }
                }
            }
            if focused && index == state.ui.selectedTable {
                buffer.restyle(inner.row(index + 1), style: CellStyle(.selection))
            }
        }
    }

    // MARK: - Failures

    /// Each failed (asset, table) pair with its reason, asset rows that could not be marked,
    /// then the errors that made batches fail, most frequent first.
    private var failureLines: [[Span]] {
        var lines: [[Span]] = []
        let failing = state.assetsFailing(nil)
        for table in state.tables.map(\.table) {
            for asset in failing {
                guard let result = asset.tables[table], result.state == .failed else { continue }
                lines.append([Span(table.rawValue.padding(toDisplayWidth: 16), .text, .bold),
                              Span(asset.symbol.padding(toDisplayWidth: 8), .text),
                              Span(result.reason ?? "failed", .error)])
            }
        }
        for asset in failing {
            if let error = asset.markError {
                lines.append([Span("asset row".padding(toDisplayWidth: 16), .text, .bold),
                              Span(asset.symbol.padding(toDisplayWidth: 8), .text), Span(error, .error)])
            }
        }
        for (error, count) in state.failures.errorCounts(attempt: state.run.attempt) {
            lines.append([Span("\(count) batch\(count == 1 ? "" : "es") failed: ", .warn, .bold), Span(error, .text)])
        }
        return lines.isEmpty ? [[Span("nothing failed", .ok, .bold)]] : lines
    }

    // MARK: - Assets

    private func renderAssets(in area: Rect, buffer: inout CellBuffer) {
        let assets = state.assets
        let counts = [AssetPhase.complete, .partial, .failed, .queued, .writing].compactMap { phase -> String? in
            let count = assets.count(phase)
            return count > 0 ? "\(count) \(phase.rawValue)" : nil
        }
        let focused = state.ui.focus == .assets
        let cellWidth = 34
        let rows = max(0, area.height - 2)
        let perRow = max(1, (area.width - 3) / cellWidth)
        let totalRows = (assets.count + perRow - 1) / perRow
        let firstRow = focused ? min(max(0, state.ui.selectedAsset / perRow - rows / 2), max(0, totalRows - rows)) : 0
        let shown = totalRows > rows ? "\(firstRow * perRow + 1)-\(min(assets.count, (firstRow + rows) * perRow)) of \(assets.count)" : nil
        let inner = Block(title: "Assets \(glyphs.separator) \(counts.joined(separator: " \(glyphs.separator) "))", detail: shown,
                          focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0, assets.count > 0 else { return }
        for (index, asset) in assets.rows.enumerated() {
            let row = index / perRow - firstRow
            guard row >= 0 else { continue }
            guard row < inner.height else { break }
            let x = inner.x + 1 + (index % perRow) * cellWidth
            let date = asset.lastPollenationDate.map { $0 + " " + String(asset.confirmed ? glyphs.check : glyphs.cross) } ?? "-"
            buffer.write([Span(asset.symbol.padding(toDisplayWidth: 7), .text, .bold),
                          Span(asset.phase.rawValue.padding(toDisplayWidth: 9), asset.phase.role, .bold),
                          Span(date, asset.lastPollenationDate == nil ? .muted : asset.confirmed ? .text : .warn)],
                         x: x, y: inner.y + row, maxWidth: cellWidth - 2)
            if focused && index == state.ui.selectedAsset {
                buffer.restyle(Rect(x: x, y: inner.y + row, width: cellWidth - 2, height: 1), style: CellStyle(.selection))
            }
        }
    }
}
