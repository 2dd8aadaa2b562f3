import PollenEngine

/// A batch waiting out its backoff before it is sent again.
public struct BackoffEntry: Sendable {
    public var retry: RetryInfo
    /// When the retry was scheduled, in seconds since the run started.
    public var scheduledAt: Double

    /// When the batch goes again, in seconds since the run started.
    public var dueAt: Double { scheduledAt + retry.delaySeconds }

    /// Seconds left at `elapsed` (never negative).
    public func remaining(at elapsed: Double) -> Double {
        max(0, dueAt - elapsed)
    }
}
