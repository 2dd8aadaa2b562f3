import PollenEngine

/// Everything that changes the console's state.
public enum ConsoleAction: Sendable {
    /// Something happened in the run.
    case engine(EngineEvent)
    /// The operator pressed a key.
    case key(Key)
    /// Time passed: the console's monotonic clock, in seconds.
    case tick(Double)
}
