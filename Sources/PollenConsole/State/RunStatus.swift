import PollenEngine

/// The current run (attempt) as a whole: what it is, where it is, its latest numbers and, once
/// it has ended, its summary.
public struct RunStatus: Sendable {
    public var info: RunInfo?
    /// 1 for the first run the console shows, 2 for the first re-run, and so on; 0 before any.
    public var attempt = 0
    /// What this run re-runs; `nil` for the first run.
    public var rerun: RerunRequest?
    public var state: RunState?
    public var progress: ProgressSnapshot?
    public var summary: RunSummary?

    public init() {}

    /// Whether writes may still be in flight: the run has started and not finished.
    public var isActive: Bool {
        guard let state else { return false }
        return state != .done
    }

    public var isFinished: Bool { state == .done }
}
