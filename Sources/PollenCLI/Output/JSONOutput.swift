import Foundation
import PollenEngine

/// `--ui json`: one JSON object per line on stdout (CONTRACT section 3). Per-batch events
/// stay in `events.jsonl`; stdout carries the run's milestones, progress once a second,
/// and the summary as the last line.
enum JSONOutput {
    /// The sink for a run's events; without the engine's summary when the caller prints one
    /// covering several attempts (``printSummary(_:history:)``).
    static func sink(withSummary: Bool = true) -> JSONLinesSink {
        JSONLinesSink(handle: FileHandle.standardOutput) { event in
            switch event.body {
            case .runStarted, .tableFinished, .assetMarked, .batchFailed, .alert, .progress, .stateChanged:
                return true
            case .runFinished:
                return withSummary
            case .fetchProgress(let fetch):
                return fetch.outcome != .retrying
            default:
                return false
            }
        }
    }

    /// The last line after a re-run: this run's summary with every attempt of the backfill.
    static func printSummary(_ summary: RunSummary, history: AttemptHistory) {
        var summary = summary
        summary.attempts = history.attempts
        JSONLinesSink(handle: FileHandle.standardOutput)
            .receive(EngineEvent(elapsed: summary.elapsedSeconds, body: .runFinished(summary)))
    }
}
