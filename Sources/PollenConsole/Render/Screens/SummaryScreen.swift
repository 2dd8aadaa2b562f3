import PollenEngine

/// What the run did, once it has ended: the outcome and exit code, per-table totals, what
/// failed and why, and every asset's status with its confirmed `lastPollenationDate`.
struct SummaryScreen: Widget {
    let state: ConsoleState
    let summary: RunSummary
    let glyphs: Glyphs

    /// The least height (of the screen's body) that shows the per-table totals too.
    static let heightForTables = 26

    func render(in area: Rect, buffer: inout CellBuffer) {
        let outcome = outcomeLines
        let failures = failureLines(width: area.width - 4)
        let (outcomeArea, afterOutcome) = area.splitTop(outcome.count + 2)
        // On a short screen the assets come before the per-table totals (the header keeps the
        // run's totals; `s` shows the tables panel).
        let showsTables = area.height >= Self.heightForTables
        let (tablesArea, afterTables) = afterOutcome.splitTop(showsTables ? max(1, state.tables.count) + 3 : 0)
        let failuresHeight = min(failures.count + 2, max(5, afterTables.height / 3))
        let (failuresArea, assetsArea) = afterTables.splitTop(failuresHeight)

        let title = "Run finished \(glyphs.separator) \(summary.status.rawValue) \(glyphs.separator) exit code \(summary.exitCode)"
        let inner = Block(title: title, detail: "took \(DurationText.short(summary.elapsedSeconds))", glyphs: glyphs)
            .render(in: outcomeArea, buffer: &buffer)
        buffer.restyle(Rect(x: outcomeArea.x + 2, y: outcomeArea.y, width: DisplayWidth.of(title) + 2, height: 1),
                       style: CellStyle(summary.status.role, .bold))
        write(outcome, in: inner, buffer: &buffer)
        if showsTables { renderTables(in: tablesArea, buffer: &buffer) }
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

    /// Each failed (asset, table) pair with its whole reason (wrapped under it), asset rows that
    /// could not be marked, then the errors that made batches fail, most frequent first.
    private func failureLines(width: Int) -> [[Span]] {
        var lines: [[Span]] = []
        let reasonWidth = max(20, width - 25)
        func add(_ what: String, _ symbol: String, _ reason: String) {
            let wrapped = reason.wrapped(toDisplayWidth: reasonWidth)
            for (index, part) in wrapped.enumerated() {
                lines.append(index == 0
                    ? [Span(what.padding(toDisplayWidth: 16), .text, .bold), Span(symbol.padding(toDisplayWidth: 9), .text),
                       Span(part, .error)]
                    : [Span(String(repeating: " ", count: 25), .text), Span(part, .error)])
            }
        }
        let failing = state.assetsFailing(nil)
        for table in state.tables.map(\.table) {
            for asset in failing {
                guard let result = asset.tables[table], result.state == .failed else { continue }
                add(table.rawValue, asset.symbol, result.reason ?? "failed")
            }
        }
        for asset in failing {
            if let error = asset.markError { add("asset row", asset.symbol, error) }
        }
        for (error, count) in state.failures.errorCounts(attempt: state.run.attempt) {
            let head = "\(count) batch\(count == 1 ? "" : "es") failed: "
            for (index, part) in error.wrapped(toDisplayWidth: max(20, width - DisplayWidth.of(head))).enumerated() {
                lines.append(index == 0 ? [Span(head, .warn, .bold), Span(part, .text)]
                                        : [Span(String(repeating: " ", count: DisplayWidth.of(head)), .text), Span(part, .text)])
            }
        }
        return lines.isEmpty ? [[Span("nothing failed", .ok, .bold)]] : lines
    }

    // MARK: - Assets

    private enum AssetField { case symbol, status, date, readBack, attempt, why }

    /// One row per asset, what needs attention first: its status, the whole `lastPollenationDate`
    /// its row holds, whether the read-back confirmed it, and why it is not complete.
    private func renderAssets(in area: Rect, buffer: inout CellBuffer) {
        let assets = state.assets
        let listed = state.summaryAssets
        let counts = [AssetPhase.complete, .partial, .failed, .queued, .writing].compactMap { phase -> String? in
            let count = assets.count(phase)
            return count > 0 ? "\(count) \(phase.rawValue)" : nil
        }
        let focused = state.ui.focus == .assets
        let rows = max(0, area.height - 3)
        let first = focused ? min(max(0, state.ui.selectedAsset - rows / 2), max(0, listed.count - rows)) : 0
        var detail: [String] = []
        if let filter = state.ui.assetFilter { detail.append("filter \"\(filter)\": \(listed.count) of \(assets.count)") }
        if listed.count > rows { detail.append("\(first + 1)-\(min(listed.count, first + rows)) of \(listed.count)") }
        let inner = Block(title: "Assets \(glyphs.separator) \(counts.joined(separator: " \(glyphs.separator) "))",
                          detail: detail.isEmpty ? "/ filters" : detail.joined(separator: " \(glyphs.separator) "),
                          focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let layout = ColumnLayout<AssetField>([
            .init(id: .symbol, title: "SYMBOL", width: 8, alignment: .left),
            .init(id: .status, title: "STATUS", width: 8, alignment: .left),
            .init(id: .date, title: "LAST POLLENATION DATE", width: 21, alignment: .left),
            .init(id: .readBack, title: "READ-BACK", width: 15, alignment: .left),
            .init(id: .attempt, title: "ATTEMPT", width: 7, alignment: .left, priority: 3),
            .init(id: .why, title: "WHY", width: 12, alignment: .left, priority: 2, grows: true),
        ].filter { $0.id != .attempt || state.attempts.count > 1 }, x: inner.x + 1, width: inner.width - 2)
        layout.renderTitles(y: inner.y, buffer: &buffer)
        if listed.isEmpty {
            buffer.write(assets.count == 0 ? "no asset was started" : "no asset matches the filter",
                         x: inner.x + 1, y: inner.y + 1, maxWidth: inner.width - 2, style: CellStyle(.muted))
            return
        }
        for (offset, asset) in listed.dropFirst(first).prefix(max(0, inner.height - 1)).enumerated() {
            let y = inner.y + 1 + offset
            for column in layout.placed {
                func cell(_ text: String, _ role: ThemeRole, _ attributes: CellAttributes = []) {
                    ColumnLayout.write(text, in: column, y: y, style: CellStyle(role, attributes), buffer: &buffer)
                }
                switch column.column.id {
                case .symbol: cell(asset.symbol, .text, .bold)
                case .status: cell(asset.phase.rawValue, asset.phase.role, .bold)
                case .date: cell(asset.lastPollenationDate ?? "none", asset.lastPollenationDate == nil ? .muted : .text)
                case .readBack: readBack(asset, cell: cell)
                case .attempt: cell("#\(asset.attempt)", .muted)
                case .why: cell(why(asset), asset.phase == .complete ? .muted : .error)
                }
            }
            if focused && first + offset == state.ui.selectedAsset {
                buffer.restyle(inner.row(offset + 1), style: CellStyle(.selection))
            }
        }
    }

    /// `✓ confirmed` when the read-back showed this run's update, `✗ not confirmed` when it did
    /// not (or the row could not be read), `-` while the asset was never marked.
    private func readBack(_ asset: AssetRow, cell: (String, ThemeRole, CellAttributes) -> Void) {
        if asset.confirmed {
            cell("\(glyphs.check) confirmed", .ok, .bold)
        } else if asset.phase == .complete || asset.phase == .partial || asset.phase == .failed {
            cell("\(glyphs.cross) not confirmed", .warn, .bold)
        } else {
            cell("- not marked", .muted, [])
        }
    }

    /// The failed tables with their reasons, or why the row was not marked.
    private func why(_ asset: AssetRow) -> String {
        var parts = asset.failedTables.map { "\($0.table.rawValue): \($0.reason ?? "failed")" }
        if let error = asset.markError { parts.append("row: \(error)") }
        if parts.isEmpty { return asset.phase == .complete ? "-" : asset.phase.rawValue.lowercased() }
        return parts.joined(separator: "; ")
    }
}
