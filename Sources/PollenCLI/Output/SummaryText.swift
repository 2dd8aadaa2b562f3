import PollenEngine

/// The end-of-run summary for people: per-table totals, per-asset results with the
/// confirmed `lastPollenationDate`, what failed and why, and what to do next.
enum SummaryText {
    static func render(_ report: RunReport, reportPath: String?) -> String {
        var lines: [String] = []
        let statusLine = "Run \(report.runId): \(report.status.rawValue) (exit \(report.exitCode)) in \(Format.duration(report.elapsedSeconds))"
        lines.append(statusLine + (report.interrupted ? ", interrupted" : ""))
        if let fatal = report.fatalError { lines.append("Stopped: \(fatal)") }
        var rows = [["TABLE", "WRITTEN", "FAILED", "REJECTED", "DUPLICATES", "RETRIES", "THROTTLED", "UNITS"]]
        for name in report.tables.keys.sorted(by: tableOrder) {
            let totals = report.tables[name]!
            rows.append([name, Format.count(totals.written), Format.count(totals.failed), Format.count(totals.rejected),
                         Format.count(totals.duplicates), Format.count(totals.retries), Format.count(totals.throttled),
                         Format.number(totals.consumedUnits)])
        }
        lines.append(TextColumns.render(rows).trimmingCharacters(in: .newlines))

        let byStatus = Dictionary(grouping: report.assets.keys, by: { report.assets[$0]!.status })
        let counts = [AssetStatus.complete, .partial, .failed].map { "\(byStatus[$0]?.count ?? 0) \($0.rawValue)" }
        let confirmed = report.assets.values.filter(\.confirmed).count
        lines.append("Assets: \(counts.joined(separator: ", ")); \(confirmed) of \(report.assets.count) rows confirmed")
        for symbol in report.assets.keys.sorted() {
            let asset = report.assets[symbol]!
            let date = asset.lastPollenationDate.map { "lastPollenationDate \($0)" } ?? "no lastPollenationDate"
            var line = "  \(symbol)  \(asset.status.rawValue)  \(date)\(asset.confirmed ? " (confirmed)" : " (NOT confirmed)")"
            if let error = asset.markError { line += "  row: \(error)" }
            lines.append(line)
            for table in asset.tables.keys.sorted(by: tableOrder) where asset.tables[table]!.state == .failed {
                lines.append("      \(table): \(asset.tables[table]!.reason ?? "failed")")
            }
        }
        if !report.alerts.isEmpty {
            lines.append("Alerts: " + report.alerts.map(\.message).joined(separator: "; "))
        }
        if let directory = report.runDirectory { lines.append("Run directory: \(directory)") }
        if let path = reportPath {
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

    private static func tableOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (PollenTable(rawValue: lhs), PollenTable(rawValue: rhs)) {
        case let (left?, right?): return left < right
        default: return lhs < rhs
        }
    }
}
