import XCTest
@testable import PollenEngine

/// One-second buckets: sums and rates over the last whole seconds, expiry and history.
final class SlidingWindowTests: XCTestCase {
    func testSumsOverTheLastWholeSeconds() {
        var window = SlidingWindow(seconds: 60)
        window.add(1, at: 0.2)
        window.add(2, at: 0.9)  // same second as 0.2
        window.add(10, at: 1.5)
        window.add(100, at: 3.0)
        XCTAssertEqual(window.sum(lastSeconds: 10, at: 4.0), 113)
        XCTAssertEqual(window.sum(lastSeconds: 1, at: 4.0), 100, "only second 3")
        XCTAssertEqual(window.sum(lastSeconds: 2, at: 4.0), 100, "seconds 2 and 3")
        XCTAssertEqual(window.sum(lastSeconds: 3, at: 4.0), 110, "seconds 1, 2 and 3")
        XCTAssertEqual(window.sum(lastSeconds: 4, at: 4.5), 113)
    }

    func testTheCurrentPartialSecondIsExcluded() {
        var window = SlidingWindow(seconds: 60)
        window.add(5, at: 7.1)
        window.add(7, at: 8.2)
        XCTAssertEqual(window.sum(lastSeconds: 5, at: 8.9), 5, "second 8 is still under way")
        XCTAssertEqual(window.sum(lastSeconds: 5, at: 9.0), 12)
        XCTAssertEqual(window.rate(lastSeconds: 1, at: 8.5), 5)
    }

    func testRatesAverageOverTheWindowOrTheTimeSoFar() {
        var window = SlidingWindow(seconds: 180)
        for second in 0..<30 { window.add(50, at: Double(second) + 0.5) }
        XCTAssertEqual(window.rate(lastSeconds: 10, at: 30.0), 50, accuracy: 1e-9)
        // Early in a run the rate is over the seconds elapsed, not the whole window.
        var early = SlidingWindow(seconds: 180)
        early.add(30, at: 0.5)
        early.add(30, at: 1.5)
        early.add(30, at: 2.5)
        XCTAssertEqual(early.rate(lastSeconds: 10, at: 3.2), 30, accuracy: 1e-9)
        XCTAssertEqual(SlidingWindow(seconds: 60).rate(lastSeconds: 10, at: 0.5), 0)
        // A burst then silence: the rate falls as the burst leaves the window.
        var burst = SlidingWindow(seconds: 60)
        burst.add(100, at: 20.5)
        XCTAssertEqual(burst.rate(lastSeconds: 10, at: 21), 10, accuracy: 1e-9)
        XCTAssertEqual(burst.rate(lastSeconds: 10, at: 30.9), 10, accuracy: 1e-9)
        XCTAssertEqual(burst.rate(lastSeconds: 10, at: 31), 0, accuracy: 1e-9)
    }

    func testOldBucketsExpire() {
        var window = SlidingWindow(seconds: 5)
        window.add(1, at: 0)
        window.add(2, at: 1)
        window.add(3, at: 2)
        window.add(4, at: 6)  // seconds 0 and 1 fall out of the 5-second buffer
        XCTAssertEqual(window.sum(lastSeconds: 4, at: 7), 4, "seconds 3..6")
        XCTAssertEqual(window.sum(lastSeconds: 10, at: 7), 4, "the span is capped by the buffer")
        XCTAssertEqual(window.history(count: 7, at: 7), [0, 0, 3, 0, 0, 0, 4])
        // A value older than the buffer is dropped, not added to a recycled bucket.
        window.add(100, at: 0.5)
        XCTAssertEqual(window.history(count: 7, at: 7), [0, 0, 3, 0, 0, 0, 4])
        // A value for a second still in the buffer lands in its own bucket.
        window.add(9, at: 4.2)
        XCTAssertEqual(window.history(count: 5, at: 7), [3, 0, 9, 0, 4])
    }

    func testHistoryIsOldestFirstAndExcludesTheCurrentSecond() {
        var window = SlidingWindow(seconds: 10)
        window.add(1, at: 1.5)
        window.add(2, at: 2.5)
        window.add(3, at: 3.5)
        window.add(4, at: 4.5)
        XCTAssertEqual(window.history(count: 4, at: 4.7), [0, 1, 2, 3])
        XCTAssertEqual(window.history(count: 4, at: 5.0), [1, 2, 3, 4])
        XCTAssertEqual(window.history(count: 6, at: 7.0), [1, 2, 3, 4, 0, 0], "seconds with nothing are zeros")
    }

    func testATimeFarInTheFutureWipesTheBuffer() {
        var window = SlidingWindow(seconds: 10)
        for second in 0..<10 { window.add(1, at: Double(second)) }
        XCTAssertEqual(window.sum(lastSeconds: 9, at: 10), 9)
        // Reading far ahead sees nothing, without changing anything.
        XCTAssertEqual(window.sum(lastSeconds: 9, at: 10_000), 0)
        XCTAssertEqual(window.history(count: 3, at: 10_000), [0, 0, 0])
        XCTAssertEqual(window.sum(lastSeconds: 9, at: 10), 9)
        // Writing far ahead clears every old bucket.
        window.add(5, at: 1_000_000.5)
        XCTAssertEqual(window.sum(lastSeconds: 9, at: 1_000_001), 5)
        XCTAssertEqual(window.history(count: 10, at: 1_000_001), [0, 0, 0, 0, 0, 0, 0, 0, 0, 5])
        XCTAssertEqual(window.sum(lastSeconds: 9, at: 10), 0, "the old seconds are gone")
    }

    func testCapacity() {
        XCTAssertEqual(SlidingWindow(seconds: 180).capacity, 180)
        XCTAssertEqual(SlidingWindow(seconds: 0).capacity, 1)
        XCTAssertEqual(SlidingWindow(seconds: 1).sum(lastSeconds: 1, at: 5), 0)
    }
}
