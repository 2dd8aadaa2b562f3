import PollenEngine

/// Applies one engine event to the console's state.
enum EventReducer {
    static func apply(_ event: EngineEvent, to state: inout ConsoleState) {
        state.clock.observe(eventElapsed: event.elapsed)
        let attempt = state.run.attempt
        switch event.body {
        case .runStarted(let info):
            startRun(info, at: event.elapsed, state: &state)
        case .assetStarted(let symbol):
            state.assets.update(symbol, adding: .writing, attempt: attempt) { row in
                row.phase = .writing
                row.attempt = attempt
                row.startedAt = event.elapsed
            }
        case .batchSent(let batch):
            state.retries.end(batch.batch)
        case .retryScheduled(let retry):
            state.retries.schedule(retry, at: event.elapsed)
        case .batchFailed(let failure):
            state.retries.end(failure.batch)
            state.failures.record(failure, attempt: attempt)
        case .tableFinished(let result):
            state.assets.update(result.symbol, adding: .writing, attempt: attempt) { $0.tables[result.table] = result }
            if let index = state.tables.firstIndex(where: { $0.table == result.table }) {
                state.tables[index].pairsFinished += 1
                if result.state == .failed { state.tables[index].pairsFailed += 1 }
            }
        case .assetMarked(let mark):
            state.assets.update(mark.symbol, adding: .writing, attempt: attempt) { row in
                row.phase = AssetPhase(mark.status)
                row.markError = mark.error
                row.confirmed = mark.confirmed
                if let date = mark.lastPollenationDate { row.lastPollenationDate = date }
            }
        case .rateChanged(let change):
            if change.symbol == nil, let index = state.tables.firstIndex(where: { $0.table == change.table }) {
                state.tables[index].allowedUnitsPerSecond = change.unitsPerSecond
                state.tables[index].estimatedLimit = change.estimatedLimit ?? state.tables[index].estimatedLimit
            }
        case .leaseMet(let meeting):
            state.otherRuns[meeting.holder.runId] = meeting.holder
        case .capChanged(let cap):
            state.cap = cap
            if state.requestedCap == cap { state.requestedCap = nil }
        case .stateChanged(let runState):
            state.run.state = runState
        case .alert(let alert):
            state.alerts.update(alert, at: event.elapsed)
        case .progress(let snapshot):
            applyProgress(snapshot, state: &state)
        case .runFinished(let summary):
            finishRun(summary, state: &state)
        case .tableLoaded, .batchAcknowledged, .batchThrottled, .batchErrored, .fetchProgress:
            break  // counted by the progress snapshot; logged below when they matter
        }
        if let line = LogLineFormatter.line(for: event, attempt: state.run.attempt) {
            state.log.append(line)
        }
    }

    /// A run starts: the first one, or a re-run after a summary. Tables, retries and alerts
    /// are per run; assets and the log carry over, and the assets being re-run wait as queued.
    private static func startRun(_ info: RunInfo, at elapsed: Double, state: inout ConsoleState) {
        state.run.attempt += 1
        state.run.info = info
        state.cap = info.cap
        state.requestedCap = nil
        state.run.state = .running
        state.run.progress = nil
        state.run.summary = nil
        state.clock.restart(at: elapsed)
        state.tables = info.tables.map(TableRow.init)
        state.retries = RetryBoard()
        state.alerts.reset()
        // A run after the first is a re-run: of what the operator asked for, else of everything that failed.
        state.run.rerun = state.attempts.isEmpty ? nil : state.pendingRerun ?? RerunRequest(table: nil)
        state.pendingRerun = nil
        if let rerun = state.run.rerun {
            let attempt = state.run.attempt
            let requeued = Set(state.assetsFailing(rerun.table).map(\.symbol))
            state.assets.updateAll { row in
                guard requeued.contains(row.symbol) else { return }
                row.phaseBeforeQueue = row.phase
                row.phase = .queued
                row.attempt = attempt
            }
        }
        state.ui.showsSummary = false
        if case .confirmQuit = state.ui.overlay { state.ui.overlay = nil }
        state.ui.selectedTable = min(state.ui.selectedTable, max(0, state.tables.count - 1))
    }

    private static func applyProgress(_ snapshot: ProgressSnapshot, state: inout ConsoleState) {
        state.run.progress = snapshot
        for tableProgress in snapshot.tables {
            if let index = state.tables.firstIndex(where: { $0.table == tableProgress.table }) {
                state.tables[index].progress = tableProgress
                state.tables[index].allowedUnitsPerSecond = tableProgress.allowedUnitsPerSecond
            } else {
                var row = TableRow(info: TableInfo(table: tableProgress.table, name: tableProgress.name,
                                                   provisionedWCU: tableProgress.provisionedWCU))
                row.progress = tableProgress
                row.allowedUnitsPerSecond = tableProgress.allowedUnitsPerSecond
                state.tables.append(row)
            }
        }
    }

    /// The run ended: its summary is final for every asset it names, and the summary screen
    /// takes over.
    private static func finishRun(_ summary: RunSummary, state: inout ConsoleState) {
        state.run.summary = summary
        state.run.state = .done
        state.clock.stop(at: summary.elapsedSeconds)
        state.retries.endAll()
        for (symbol, result) in summary.assets {
            state.assets.update(symbol, adding: .writing, attempt: state.run.attempt) { row in
                row.phase = AssetPhase(result.status)
                row.confirmed = result.confirmed
                if let date = result.lastPollenationDate { row.lastPollenationDate = date }
            }
        }
        state.assets.updateAll { row in  // queued for this run but never reached: as they were
            guard row.phase == .queued, let previous = row.phaseBeforeQueue else { return }
            row.phase = previous
        }
        state.attempts.append(AttemptRecord(
            number: state.run.attempt, runId: state.run.info?.runId ?? "", rerun: state.run.rerun, status: summary.status,
            exitCode: summary.exitCode, elapsedSeconds: summary.elapsedSeconds))
        state.ui.showsSummary = true
        if case .confirmQuit = state.ui.overlay { state.ui.overlay = nil }
    }
}
