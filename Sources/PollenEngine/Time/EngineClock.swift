import Foundation

/// Time as the engine sees it: a monotonic instant for durations and rates, wall-clock dates
/// for what is written to DynamoDB and reports, and sleeping.
///
/// Injected so that backoff schedules, rate windows and timeouts are tested in milliseconds
/// with a clock that only advances when told to.
public protocol EngineClock: Sendable {
    /// Seconds on a monotonic scale (only differences matter).
    func now() -> Double
    /// The current wall-clock date.
    func date() -> Date
    /// Suspends the calling task for `seconds` (throws when the task is cancelled).
    func sleep(seconds: Double) async throws
}

/// The real clock: `ContinuousClock` and `Date()`.
public struct SystemClock: EngineClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func date() -> Date { Date() }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
    }
}

/// A source of uniformly distributed numbers in [0, 1), for jitter.
public protocol RandomSource: Sendable {
    func nextUnit() -> Double
}

/// The system's random number generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}
