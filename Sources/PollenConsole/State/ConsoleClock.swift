/// The run's time as the console shows it.
///
/// Engine events carry the seconds since the run started; between events the console's own
/// monotonic clock (fed by ticks) carries that time forward, so the elapsed time and the
/// backoff countdowns keep moving while the engine is quiet, and freeze when the run ends.
public struct ConsoleClock: Equatable, Sendable {
    /// The console's monotonic time, in seconds, as of the last tick.
    public private(set) var now: Double = 0
    private var lastEventElapsed: Double = 0
    private var lastEventAt: Double = 0
    private var finishedAt: Double?

    public init() {}

    /// Seconds since the current run started.
    public var runElapsed: Double {
        finishedAt ?? lastEventElapsed + max(0, now - lastEventAt)
    }

    mutating func tick(_ now: Double) {
        self.now = max(self.now, now)
    }

    /// Takes the engine's time from an event.
    mutating func observe(eventElapsed: Double) {
        guard finishedAt == nil else { return }
        lastEventElapsed = eventElapsed
        lastEventAt = now
    }

    /// A new run (attempt) starts its clock at `elapsed`.
    mutating func restart(at elapsed: Double) {
        finishedAt = nil
        lastEventElapsed = elapsed
        lastEventAt = now
    }

    /// The run ended after `elapsed` seconds: the clock stops there.
    mutating func stop(at elapsed: Double) {
        finishedAt = elapsed
    }
}
