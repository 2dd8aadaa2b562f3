import PollenEngine

/// A side effect the console asks of its host; the reducer returns these instead of calling
/// anything, so the console never touches the engine's run objects.
public enum ConsoleCommand: Equatable, Sendable {
    /// No new batches (in-flight ones finish).
    case pause
    case resume
    /// Stop taking new batches and let the run end (in-flight batches finish and are journaled).
    case drain
    /// Change the operator's cap on each table's write rate to this one.
    case setCapacityCap(WriteRateController.Cap)
    /// Start a new run of what failed: `table` where it failed, or everything when `nil`.
    case rerun(table: PollenTable?)
    /// The operator is leaving; the console's loop ends.
    case quit
}
