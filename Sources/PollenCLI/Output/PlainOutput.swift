import Foundation
import PollenEngine

/// `--ui plain`: human progress lines on stderr (at most one a second, plus failures and
/// alerts as they happen) and the summary on stdout at the end.
final class PlainOutput: EventSink {
    func receive(_ event: EngineEvent) {
        switch event.body {
        case .runStarted(let info):
            let tables = info.tables.map { table in
                "\(table.name) (\(table.unavailable ?? table.provisionedWCU.map { "\($0) WCU" } ?? "on-demand"))"
            }
            StandardStreams.err("pollen: run \(info.runId)\(info.resumed ? " (resumed)" : "") against \(info.endpoint), "
                                + "\(info.assets ?? 0) assets, tables: \(tables.joined(separator: ", "))\n")
        case .progress(let snapshot):
            StandardStreams.err(Self.progressLine(snapshot) + "\n")
        case .fetchProgress(let fetch) where fetch.outcome == .stopped:
            StandardStreams.err("pollen: fetching stopped: \(fetch.message ?? "unknown")\n")
        case .fetchProgress(let fetch) where fetch.outcome == .failed:
            StandardStreams.err("pollen: fetching \(fetch.function) for \(fetch.symbol) failed: \(fetch.message ?? "unknown")\n")
        case .tableFinished(let result) where result.state == .failed:
            StandardStreams.err("pollen: \(result.symbol) \(result.table.rawValue) failed: \(result.reason ?? "unknown")\n")
        case .assetMarked(let mark) where mark.error != nil:
            StandardStreams.err("pollen: \(mark.symbol) asset row: \(mark.error ?? "")\n")
        case .alert(let alert):
            StandardStreams.err("pollen: alert \(alert.active ? "raised" : "cleared"): \(alert.message) (now \(Format.number(alert.value)))\n")
        case .stateChanged(let state) where state == .draining:
            StandardStreams.err("pollen: interrupted: finishing the batches in flight (Ctrl-C again to stop at once; the journal keeps the run resumable)\n")
        default:
            break
        }
    }

    static func progressLine(_ snapshot: ProgressSnapshot) -> String {
        var parts = ["[\(Format.duration(snapshot.elapsedSeconds))]"]
        parts.append("assets \(snapshot.assetsDone)/\(snapshot.assetsTotal.map(String.init) ?? "?")")
        parts.append("items \(Format.count(snapshot.itemsWritten))/\(Format.count(snapshot.itemsKnown)) (\(Format.number(snapshot.itemsPerSecond))/s)")
        parts.append("units \(Format.number(snapshot.unitsPerSecond))/s")
        parts.append("pushed back \(Format.number(snapshot.throttledPercent))%")
        parts.append("retries \(snapshot.tables.reduce(0) { $0 + $1.retries })")
        parts.append("failed \(snapshot.itemsFailed)")
        if snapshot.itemsRejected > 0 { parts.append("rejected \(snapshot.itemsRejected)") }
        if let fetch = snapshot.fetch {
            parts.append("fetched \(fetch.assetsFetched)/\(fetch.assetsFetched + fetch.assetsPending) "
                         + "(\(Format.number(fetch.requestsLastMinute))/min of \(Format.number(fetch.budgetPerMinute)))"
                         + (fetch.errors > 0 ? " fetch errors \(fetch.errors)" : ""))
        }
        if let eta = snapshot.etaSeconds { parts.append("ETA \(Format.duration(eta))") }
        return parts.joined(separator: "  ")
    }
}
