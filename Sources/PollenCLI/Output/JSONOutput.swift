import Foundation
import PollenEngine

/// `--ui json`: one JSON object per line on stdout (CONTRACT section 3). Per-batch events
/// stay in `events.jsonl`; stdout carries the run's milestones, progress once a second,
/// and the summary as the last line.
enum JSONOutput {
    static func sink() -> JSONLinesSink {
        JSONLinesSink(handle: FileHandle.standardOutput) { event in
            switch event.body {
            case .runStarted, .tableFinished, .assetMarked, .batchFailed, .alert, .progress, .stateChanged, .runFinished:
                return true
            case .fetchProgress(let fetch):
                return fetch.outcome != .retrying
            default:
                return false
            }
        }
    }
}
