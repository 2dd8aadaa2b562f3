import PollenEngine

/// The end-of-run summary for people: per-table totals, per-asset results with the
/// `lastPollenationDate` read back from each row and whether the read-back confirmed it,
/// what failed and why, and what to do next. After re-runs it covers every attempt: each
/// named, with its run directory, and each asset's outcome in every attempt that had it.
enum SummaryText {
    static func render(_ history: AttemptHistory) -> String {
        guard let last = history.last else { return "" }
        let report = last.report
        let several = history.attempts.count > 1
        var lines: [String] = []
        let statusLine = "Run \(report.runId): \(report.status.rawValue) (exit \(report.exitCode)) in \(Format.duration(report.elapsedSeconds))"
        lines.append(statusLine + (report.interrupted ? ", interrupted" : ""))
        if let fatal = report.fatalError { lines.append("Stopped: \(fatal)") }
        if several {
            lines.append("Attempts:")
            for attempt in history.attempts {
                let directory = attempt.report.runDirectory.map { ", run directory \($0)" } ?? ""
                lines.append("  \(attempt.title) (run \(attempt.report.runId)\(directory))")
            }
        }
        lines.append(tableLines(history).trimmingCharacters(in: .newlines))

        let assets = history.assets
        let byStatus = Dictionary(grouping: assets, by: \.latest.status)
        let counts = [AssetStatus.complete, .partial, .failed].map { "\(byStatus[$0]?.count ?? 0) \($0.rawValue)" }
        let confirmed = assets.filter(\.latest.confirmed).count
        let notFetched = assets.filter { $0.latest.notFetched != nil }.count
        lines.append("Assets: \(counts.joined(separator: ", "))\(notFetched > 0 ? " (\(notFetched) not fetched)" : ""); "
                     + "\(confirmed) of \(assets.count) rows confirmed")
        for asset in assets {
            if let reason = asset.latest.notFetched {
                lines.append("  \(asset.symbol)  NOT FETCHED  \(reason); its row is unchanged")
                continue
            }
            var line = "  \(asset.symbol)  \(asset.latest.status.rawValue)  \(dateText(asset.latest))"
            if several {
                line += "  [" + asset.outcomes.map { "#\($0.attempt) \($0.status.rawValue)" }.joined(separator: ", ") + "]"
            }
            if let error = asset.latest.markError { line += "  row: \(error)" }
            lines.append(line)
            let tables = asset.latest.tables
            for table in tables.keys.sorted(by: tableOrder) where tables[table]!.state == .failed {
                lines.append("      \(table): \(tables[table]!.reason ?? "failed")")
            }
        }
        if let held = report.heldByOtherRuns, !held.isEmpty {
            lines.append("Left to other runs (their leases were live): \(held.count)")
            for symbol in held.keys.sorted() { lines.append("  \(symbol)  HELD  \(held[symbol]!.reason)") }
        }
        if !report.alerts.isEmpty {
            lines.append("Alerts: " + report.alerts.map(\.message).joined(separator: "; "))
        }
        if let directory = report.runDirectory { lines.append("Run directory: \(directory)") }
        if let path = last.reportPath {
            lines.append("Report: \(path)")
            if report.status != .complete && !report.interrupted && report.fatalError == nil {
                lines.append("Re-run what failed: pollen backfill --rerun \(path)")
            }
        }
        if report.interrupted, let journal = report.journal {
            lines.append("Resume: pollen backfill --resume \(journal)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the row read back says, and whether it proves this run's update.
    static func dateText(_ asset: RunReport.AssetReport) -> String {
        switch (asset.lastPollenationDate, asset.confirmed) {
        case (let date?, true): return "lastPollenationDate \(date) (confirmed by read-back)"
        case (let date?, false): return "lastPollenationDate \(date) (NOT confirmed)"
        case (nil, true): return "no lastPollenationDate (row read back)"
        case (nil, false): return "no lastPollenationDate (NOT confirmed)"
        }
    }

    /// Per-table totals; one row per attempt that wrote the table when there were several.
    private static func tableLines(_ history: AttemptHistory) -> String {
        let several = history.attempts.count > 1
        var header = ["TABLE", "WRITTEN", "FAILED", "REJECTED", "DUPLICATES", "RETRIES", "THROTTLED", "UNITS"]
        if several { header.insert("ATTEMPT", at: 1) }
        var rows = [header]
        let names = Set(history.attempts.flatMap(\.report.tables.keys)).sorted(by: tableOrder)
        for name in names {
            for attempt in history.attempts {
                guard let totals = attempt.report.tables[name] else { continue }
                var row = [name, Format.count(totals.written), Format.count(totals.failed), Format.count(totals.rejected),
                           Format.count(totals.duplicates), Format.count(totals.retries), Format.count(totals.throttled),
                           Format.number(totals.consumedUnits)]
                if several { row.insert("#\(attempt.number)", at: 1) }
                rows.append(row)
            }
        }
        return TextColumns.render(rows)
    }

    private static func tableOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (PollenTable(rawValue: lhs), PollenTable(rawValue: rhs)) {
        case let (left?, right?): return left < right
        default: return lhs < rhs
        }
    }
}
