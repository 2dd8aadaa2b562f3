import Foundation
import PollenEngine

/// Where a run's records go: `--run-dir` (default `./pollen-runs/<runId>/`) holding
/// `report.json`, `journal` and `events.jsonl`, unless `--report` or `--journal` put those
/// elsewhere.
struct RunFiles {
    var directory: String
    var report: String
    var journal: String
    var events: String

    init(runID: String, runDirectory: String?, report: String?, journal: String?) {
        let directory = URL(fileURLWithPath: runDirectory ?? "pollen-runs/\(runID)").standardizedFileURL.path
        self.directory = directory
        self.report = report.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? directory + "/report.json"
        self.journal = journal.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? directory + "/journal"
        self.events = directory + "/events.jsonl"
    }

    /// Creates the directory and opens `events.jsonl` for writing.
    func prepare() throws -> FileHandle {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: events) {  // a resumed run appends
            _ = FileManager.default.createFile(atPath: events, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: events) else {
            throw CLIFailure.message("Cannot write \(events).")
        }
        handle.seekToEndOfFile()
        return handle
    }
}
