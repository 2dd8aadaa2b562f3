import Foundation
import Synchronization

/// The requests-per-minute budget (`--fetch-rpm`) that every Alpha Vantage fetch shares.
///
/// Requests are spaced evenly, one every 60/rpm seconds, first come first served: that keeps
/// every sliding minute within the budget, with no burst for the API to refuse.
public final class FetchBudget: Sendable {
    public let requestsPerMinute: Double
    private let clock: any EngineClock
    private let queue = RequestGate(limit: 1)
    private let next = Mutex(-Double.infinity)

    public init(requestsPerMinute: Double, clock: any EngineClock) {
        self.requestsPerMinute = requestsPerMinute
        self.clock = clock
    }

    /// Seconds between two requests.
    public var interval: Double { 60 / requestsPerMinute }

    /// Waits for the next slot of the budget.
    public func acquire() async throws {
        try await queue.acquire()
        defer { queue.release() }
        let wait = next.withLock { next -> Double in
            let now = clock.now()
            let start = max(now, next)
            next = start + interval
            return start - now
        }
        if wait > 0 { try await clock.sleep(seconds: wait) }
    }
}
