import PollenEngine

/// Turns the events worth reading into event log lines: failures with their reasons,
/// throttling, retries, alerts, marks and state changes. Routine events (batches sent and
/// acknowledged, progress) make no line.
enum LogLineFormatter {
    static func line(for event: EngineEvent, attempt: Int) -> LogLine? {
        func line(_ severity: LogSeverity, _ kind: String, _ text: String) -> LogLine {
            LogLine(elapsed: event.elapsed, attempt: attempt, severity: severity, kind: kind, text: text)
        }
        switch event.body {
        case .runStarted(let info):
            var text = "run \(info.runId) started: \(info.tables.count) tables"
            if let assets = info.assets { text += ", \(assets) assets" }
            if info.resumed { text += ", resumed from its journal" }
            for table in info.tables {
                if let reason = table.unavailable { text += "; \(table.table.rawValue) unavailable: \(reason)" }
            }
            return line(.milestone, attempt > 1 ? "attempt \(attempt)" : "start", text)
        case .tableLoaded(let load) where load.rejected > 0:
            return line(.warning, "rejected", "\(load.table.rawValue) \(load.symbol): \(load.rejected) records rejected")
        case .batchThrottled(let issue):
            let reasons = issue.throttlingReasons.isEmpty ? "" : " (\(issue.throttlingReasons.joined(separator: ", ")))"
            return line(.warning, "throttled", "\(batchName(issue.table, issue.symbol, issue.batch)): \(issue.code)\(reasons)")
        case .batchErrored(let issue):
            return line(issue.category == .transient || issue.category == .connection ? .warning : .error, "error",
                        "\(batchName(issue.table, issue.symbol, issue.batch)): \(issue.code): \(issue.message)")
        case .retryScheduled(let retry):
            return line(.info, "retry", "\(batchName(retry.table, retry.symbol, retry.batch)) attempt \(retry.attempt) in "
                        + "\(DurationText.short(retry.delaySeconds)) (\(retry.reason.rawValue), \(retry.items) items)")
        case .batchFailed(let failure):
            return line(.error, "failed", "\(batchName(failure.table, failure.symbol, failure.batch)) given up after "
                        + "\(failure.attempts) attempts, \(failure.keys.count) keys: \(failure.error)")
        case .tableFinished(let result) where result.state == .failed:
            return line(.error, "table", "\(result.table.rawValue) failed for \(result.symbol): \(result.reason ?? "no reason given")")
        case .assetMarked(let mark):
            if let error = mark.error { return line(.error, "mark", "\(mark.symbol) \(mark.status.rawValue): \(error)") }
            let date = mark.lastPollenationDate.map { "lastPollenationDate \($0)" + (mark.confirmed ? " (confirmed)" : " (not confirmed)") }
                ?? "no lastPollenationDate" + (mark.confirmed ? " (row read back)" : " (not confirmed)")
            let severity: LogSeverity = mark.status == .complete ? .info : mark.status == .partial ? .warning : .error
            return line(severity, "mark", "\(mark.symbol) \(mark.status.rawValue), \(date)")
        case .leaseMet(let meeting):
            return meeting.takenOver
                ? line(.warning, "lease", "\(meeting.symbol): took over the lapsed lease of run \(meeting.holder.runId) on \(meeting.holder.host)")
                : line(.info, "lease", "\(meeting.symbol) \(meeting.holder.description): left to it")
        case .fetchProgress(let fetch) where fetch.outcome == .stopped:
            return line(.error, "fetch", "fetching stopped: " + (fetch.message ?? "unknown"))
        case .fetchProgress(let fetch) where fetch.outcome == .failed || fetch.outcome == .retrying:
            return line(fetch.outcome == .failed ? .error : .warning, "fetch",
                        "\(fetch.function) \(fetch.symbol) \(fetch.outcome == .failed ? "failed" : "retrying (attempt \(fetch.attempt))"): "
                        + (fetch.message ?? "unknown"))
        case .rateChanged(let change) where change.reason == .operatorCap || change.reason == .capacityChanged:
            let rate = change.unitsPerSecond.map { NumberText.rate($0) + " units/s" } ?? "unlimited"
            let why = change.reason == .operatorCap ? "cap" : "capacity"
            return line(.info, why, "\(change.table.rawValue) write rate now \(rate)"
                        + (change.reason == .capacityChanged ? " (DynamoDB announced new capacity)" : ""))
        case .rateChanged(let change) where change.symbol != nil && change.reason == .pushedBack:
            let rate = change.unitsPerSecond.map { NumberText.rate($0) + " units/s" } ?? "unlimited"
            return line(.warning, "hot key", "\(change.table.rawValue) key \(change.symbol ?? "") paced on its own at \(rate)")
        case .stateChanged(let runState):
            switch runState {
            case .paused: return line(.milestone, "paused", "no new batches; in-flight batches finish")
            case .running: return line(.milestone, "resumed", "writing again")
            case .draining: return line(.milestone, "draining", "no new batches; finishing the ones in flight")
            case .done: return nil
            }
        case .alert(let alert):
            return alert.active
                ? line(.error, "alert", "\(alert.message) (now \(alertValue(alert)))")
                : line(.info, "cleared", alert.message)
        case .runFinished(let summary):
            var text = "run finished \(summary.status.rawValue) in \(DurationText.short(summary.elapsedSeconds)), "
                + "exit code \(summary.exitCode)"
            if summary.interrupted { text += ", interrupted" }
            if let fatal = summary.fatalError { text += ": \(fatal)" }
            if let report = summary.report { text += "; report \(report)" }
            return line(summary.fatalError == nil ? .milestone : .error, "finished", text)
        default:
            return nil
        }
    }

    static func batchName(_ table: PollenTable, _ symbol: String, _ batch: UInt64) -> String {
        "\(table.rawValue) \(symbol) #\(batch)"
    }

    /// An alert's value in its unit: seconds for the slow asset, a percentage otherwise.
    static func alertValue(_ alert: Alert) -> String {
        alert.name == .slowAsset ? DurationText.short(alert.value) : NumberText.percent(alert.value)
    }
}
