import PollenEngine

/// The two header rows: which run this is and where it writes, its alerts, state and clock;
/// then overall progress, ETA, rates, the write-rate cap, throttling and failures.
struct HeaderBar: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    static let height = 2

    func render(in area: Rect, buffer: inout CellBuffer) {
        identityRow.render(in: area.row(0), buffer: &buffer)
        guard area.height > 1 else { return }
        let row = area.row(1)
        guard state.run.progress != nil || state.run.summary != nil else {
            progressRow.render(in: row.splitLeft(1).rest, buffer: &buffer)
            return
        }
        // The overall bar first, then as many figures as fit.
        buffer.fill(row, style: CellStyle(.background))
        let barWidth = area.width >= 120 ? 32 : 20
        let fraction = state.overallFraction
        ProgressBar(fraction: fraction, label: NumberText.percent(fraction * 100), glyphs: glyphs)
            .render(in: Rect(x: row.x + 1, y: row.y, width: barWidth, height: 1), buffer: &buffer)
        progressRow.render(in: row.splitLeft(barWidth + 3).rest, buffer: &buffer)
    }

    private var identityRow: SpanRow {
        let brand = SpanRow.Group(1, [Span(" POLLEN ", .title, [.bold, .reverse])])
        guard let info = state.run.info else {
            return SpanRow(left: [brand, .init(1, [Span("waiting for the run to start", .muted)])])
        }
        var left = [brand, SpanRow.Group(1, [Span("run ", .muted), Span(info.runId, .text, .bold)])]
        if info.dryRun { left.append(.init(1, [Span("DRY RUN", .warn, .bold)])) }
        if state.run.attempt > 1 {
            let what = state.run.rerun.map { ": \($0.description)" } ?? ""
            left.append(.init(3, [Span("attempt \(state.run.attempt)\(what)", .accent, .bold)]))
        }
        left.append(.init(4, [Span(info.endpoint, .text), Span(" \(glyphs.separator) ", .muted), Span(info.region, .text)]))
        if let other = state.otherRuns.values.min(by: { $0.runId < $1.runId }) {
            // Runs met through their leases: they write assets of this selection too.
            let more = state.otherRuns.count > 1 ? " +\(state.otherRuns.count - 1)" : ""
            left.append(.init(3, [Span("also running ", .muted), Span("\(other.runId)@\(other.host)\(more)", .warn, .bold)]))
        }

        var right: [SpanRow.Group] = []
        if let first = state.alerts.active.first {
            let more = state.alerts.active.count > 1 ? " (+\(state.alerts.active.count - 1))" : ""
            right.append(.init(2, [Span("\(glyphs.alert) \(first.alert.message)\(more)", .error, .bold)]))
        }
        if let runState = state.run.state {
            let word = state.run.summary.map { "DONE \($0.status.rawValue)" } ?? runState.rawValue
            let role = state.run.summary.map(\.status.role) ?? runState.role
            right.append(.init(1, [Span(" \(word) ", role, [.bold, .reverse]),
                                   Span(" " + DurationText.clock(state.clock.runElapsed) + " ", .text, .bold)]))
        }
        return SpanRow(left: left, right: right)
    }

    private var progressRow: SpanRow {
        var groups: [SpanRow.Group] = []
        func group(_ priority: Int, _ spans: Span...) { groups.append(.init(priority, spans)) }
        if let summary = state.run.summary {  // the run's totals, no longer its rates
            let totals = summary.tables.values
            let failed = totals.reduce(0) { $0 + $1.failed }, rejected = totals.reduce(0) { $0 + $1.rejected }
            group(1, Span("assets ", .muted), Span("\(summary.assets.count)", .text, .bold))
            group(2, Span("took ", .muted), Span(DurationText.short(summary.elapsedSeconds), .text, .bold))
            group(3, Span("written ", .muted), Span(NumberText.count(totals.reduce(0) { $0 + $1.written }), .text, .bold))
            group(3, Span("failed ", .muted), Span(NumberText.count(failed), failed > 0 ? .error : .text, .bold))
            group(4, Span("rejected ", .muted), Span(NumberText.count(rejected), rejected > 0 ? .warn : .text, .bold))
        } else if let progress = state.run.progress {
            let assets = progress.assetsTotal.map { "\(progress.assetsDone)/\($0)" } ?? "\(progress.assetsDone)"
            let throttled = progress.throttledPercent
            group(1, Span("assets ", .muted), Span(assets, .text, .bold))
            group(5, Span("items ", .muted), Span(NumberText.count(progress.itemsWritten), .text),
                  Span("/" + NumberText.count(progress.itemsKnown), .muted))
            group(2, Span("ETA ", .muted), Span(progress.etaSeconds.map(DurationText.short) ?? "--", .text, .bold))
            group(6, Span(NumberText.rate(progress.itemsPerSecond), .text), Span(" items/s", .muted))
            group(6, Span(NumberText.rate(progress.unitsPerSecond), .text), Span(" WCU/s", .muted))
            group(3, Span("throttled ", .muted),
                  Span(NumberText.percent(throttled), throttled > 20 ? .error : throttled >= 1 ? .warn : .text, .bold))
            if progress.itemsFailed > 0 {
                group(4, Span("failed ", .muted), Span(NumberText.count(progress.itemsFailed), .error, .bold))
            }
            if let fetch = progress.fetch {
                let total = fetch.assetsFetched + fetch.assetsPending
                group(2, Span("fetched ", .muted), Span("\(fetch.assetsFetched)/\(total)", .text, .bold),
                      Span(" \(NumberText.rate(fetch.requestsLastMinute))/\(NumberText.rate(fetch.budgetPerMinute)) rpm", .muted))
                if fetch.errors > 0 {
                    group(3, Span("fetch errors ", .muted), Span(NumberText.count(fetch.errors), .error, .bold))
                }
                if let stopped = fetch.stopped {  // the whole reason is in the event log
                    group(1, Span("fetching STOPPED", .warn, .bold))
                    let short = stopped.count > 48 ? String(stopped.prefix(47)) + String(glyphs.ellipsis) : stopped
                    group(5, Span(short, .warn))
                }
            }
        }
        if let cap = state.cap {
            // What the engine announced: the cap, and the write rate it allows now over the tables.
            var spans = [Span("cap ", .muted), Span(NumberText.percent(cap.capacityPercent), .accent, .bold)]
            if let asked = state.requestedCap, asked != cap {
                spans.append(Span(" \(glyphs.arrow) \(NumberText.percent(asked.capacityPercent))", .muted))
            }
            if let most = cap.maxUnitsPerSecond { spans.append(Span(" max \(NumberText.rate(most))/s", .muted)) }
            groups.append(.init(1, spans))
            let allowed = state.tables.compactMap(\.allowedUnitsPerSecond)
            if state.run.summary == nil, !allowed.isEmpty {
                group(7, Span("allowed ", .muted), Span("\(NumberText.rate(allowed.reduce(0, +))) u/s", .text))
            }
        }
        return SpanRow(left: groups)
    }
}
