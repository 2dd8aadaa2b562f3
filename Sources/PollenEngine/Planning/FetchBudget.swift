import Foundation
import Synchronization

/// The requests-per-minute budget (`--fetch-rpm`) that every Alpha Vantage fetch shares.
///
/// Requests are spaced evenly, one every 60/rpm seconds, first come first served: that keeps
/// every sliding minute within the budget, with no burst for the API to refuse. The API counts
/// at its server, so the next interval starts when a request is really let go (a sleep that
/// overslept on a busy machine moves the following slots with it), never at its planned slot.
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
        // One caller at a time gets here (the gate), so the slot read here is still the next one.
        let wait = next.withLock { $0 } - clock.now()
        if wait > 0 { try await clock.sleep(seconds: wait) }
        next.withLock { $0 = clock.now() + interval }
    }
}
