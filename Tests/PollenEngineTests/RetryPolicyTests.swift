import PollenTestSupport
import XCTest
@testable import PollenEngine

/// Backoff delays: full jitter for unprocessed items and transient errors, 1–5 s for throttling.
final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy()
    let low = FixedRandom(0)
    let high = FixedRandom(0.999999)

    func testDefaultsAreTheOperatingRequirements() {
        XCTAssertEqual(policy.maxAttempts, 3)
        XCTAssertEqual(policy.throttleMinimumDelay, 1)
        XCTAssertEqual(policy.throttleMaximumDelay, 5)
    }

    func testFullJitterBoundsForUnprocessedAndTransient() {
        for reason in [RetryReason.unprocessed, .transient] {
            for resend in 1...12 {
                let ceiling = min(policy.maxDelay, policy.baseDelay * pow(2, Double(resend - 1)))
                XCTAssertEqual(policy.delay(for: reason, resend: resend, random: low), 0, "\(reason) resend \(resend)")
                let top = policy.delay(for: reason, resend: resend, random: high)
                XCTAssertLessThanOrEqual(top, ceiling, "\(reason) resend \(resend)")
                XCTAssertEqual(top, ceiling, accuracy: ceiling * 1e-5, "\(reason) resend \(resend): the ceiling is reachable")
            }
        }
        // The first resend waits at most baseDelay, the ceiling doubles per resend.
        XCTAssertEqual(policy.delay(for: .unprocessed, resend: 1, random: high), 0.05, accuracy: 1e-6)
        XCTAssertEqual(policy.delay(for: .unprocessed, resend: 3, random: high), 0.2, accuracy: 1e-6)
    }

    func testThrottlingWaitsBetweenOneAndFiveSeconds() {
        for resend in 1...12 {
            let ceiling = min(5, pow(2, Double(resend)))
            let bottom = policy.delay(for: .throttled, resend: resend, random: low)
            let top = policy.delay(for: .throttled, resend: resend, random: high)
            XCTAssertEqual(bottom, 1, "resend \(resend)")
            XCTAssertGreaterThanOrEqual(top, 1)
            XCTAssertLessThanOrEqual(top, 5, "resend \(resend)")
            XCTAssertEqual(top, ceiling, accuracy: 1e-4, "resend \(resend)")
        }
        XCTAssertEqual(policy.delay(for: .throttled, resend: 1, random: high), 2, accuracy: 1e-4)
        XCTAssertEqual(policy.delay(for: .throttled, resend: 2, random: high), 4, accuracy: 1e-4)
        XCTAssertEqual(policy.delay(for: .throttled, resend: 3, random: high), 5, accuracy: 1e-4)
    }

    func testCapAtLargeAndOddResendNumbers() {
        for resend in [20, 31, 64, 1_000, Int.max] {
            XCTAssertLessThanOrEqual(policy.delay(for: .unprocessed, resend: resend, random: high), policy.maxDelay)
            XCTAssertEqual(policy.delay(for: .transient, resend: resend, random: high), policy.maxDelay, accuracy: 1e-4)
            XCTAssertEqual(policy.delay(for: .throttled, resend: resend, random: high), 5, accuracy: 1e-4)
            XCTAssertFalse(policy.delay(for: .transient, resend: resend, random: high).isNaN)
        }
        // Resend numbers below 1 are treated as the first resend.
        for resend in [0, -5] {
            XCTAssertEqual(policy.delay(for: .unprocessed, resend: resend, random: high), 0.05, accuracy: 1e-6)
            XCTAssertEqual(policy.delay(for: .throttled, resend: resend, random: high), 2, accuracy: 1e-4)
        }
        let custom = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 3, throttleMinimumDelay: 2, throttleMaximumDelay: 3)
        XCTAssertEqual(custom.delay(for: .unprocessed, resend: 4, random: high), 3, accuracy: 1e-4)
        XCTAssertEqual(custom.delay(for: .throttled, resend: 1, random: low), 2)
        XCTAssertEqual(custom.delay(for: .throttled, resend: 1, random: high), 3, accuracy: 1e-4)
    }

    func testJitterIsSpreadUniformly() {
        let random = SeededRandom(seed: 42)
        let draws = 10_000
        var sum = 0.0, below = 0, minimum = Double.infinity, maximum = 0.0
        for _ in 0..<draws {
            let delay = policy.delay(for: .unprocessed, resend: 4, random: random)  // ceiling 0.4 s
            sum += delay
            minimum = min(minimum, delay)
            maximum = max(maximum, delay)
            if delay < 0.2 { below += 1 }
        }
        XCTAssertEqual(sum / Double(draws), 0.2, accuracy: 0.01, "mean of full jitter is half the ceiling")
        XCTAssertEqual(Double(below) / Double(draws), 0.5, accuracy: 0.03)
        XCTAssertLessThan(minimum, 0.01)
        XCTAssertGreaterThan(maximum, 0.39)

        var throttleSum = 0.0
        for _ in 0..<draws {
            let delay = policy.delay(for: .throttled, resend: 5, random: random)
            XCTAssertTrue((1...5).contains(delay))
            throttleSum += delay
        }
        XCTAssertEqual(throttleSum / Double(draws), 3, accuracy: 0.1, "uniform in [1, 5]")
    }
}
