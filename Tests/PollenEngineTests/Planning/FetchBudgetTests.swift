import PollenEngine
import PollenTestSupport
import Synchronization
import XCTest

/// A clock whose first sleep overshoots by `lateBy`, as a task's sleep may on a busy machine.
private final class OversleepingClock: EngineClock {
    private let state: Mutex<(now: Double, lateBy: Double)>

    init(lateBy: Double) { state = Mutex((0, lateBy)) }

    func now() -> Double { state.withLock { $0.now } }
    func date() -> Date { Date(timeIntervalSince1970: now()) }
    func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.now += seconds + state.lateBy
            state.lateBy = 0
        }
    }
}

final class FetchBudgetTests: XCTestCase {
    /// The times at which `count` sequential callers were let go.
    private func releases(_ count: Int, budget: FetchBudget, clock: any EngineClock) async throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<count {
            try await budget.acquire()
            times.append(clock.now())
        }
        return times
    }

    func testRequestsAreSpacedByTheInterval() async throws {
        let clock = InstantClock()
        let budget = FetchBudget(requestsPerMinute: 120, clock: clock)
        XCTAssertEqual(budget.interval, 0.5)
        let times = try await releases(4, budget: budget, clock: clock)
        XCTAssertEqual(times, [0, 0.5, 1.0, 1.5], "the first at once, then one every 60/rpm seconds")
    }

    func testAnOversleptSlotMovesTheNextOneWithIt() async throws {
        // The first sleep wakes 0.2 s late. Spaced from planned slots, the request after the late
        // one would go only 0.3 s after it; spaced from when each was let go, every gap is 0.5 s.
        let clock = OversleepingClock(lateBy: 0.2)
        let budget = FetchBudget(requestsPerMinute: 120, clock: clock)
        let times = try await releases(4, budget: budget, clock: clock)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        XCTAssertEqual(gaps.count, 3)
        for gap in gaps { XCTAssertGreaterThanOrEqual(gap, 0.5 - 1e-9, "gaps \(gaps)") }
    }

    func testAGapLongerThanTheIntervalLetsTheNextRequestGoAtOnce() async throws {
        let clock = InstantClock()
        let budget = FetchBudget(requestsPerMinute: 60, clock: clock)
        try await budget.acquire()
        clock.advance(by: 3)
        try await budget.acquire()
        XCTAssertEqual(clock.now(), 3, "no saved-up burst, and no wait either")
        XCTAssertEqual(clock.sleeps, [])
    }
}
