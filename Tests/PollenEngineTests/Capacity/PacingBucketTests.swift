import XCTest
@testable import PollenEngine

/// The bucket and one-second window that space requests out: the average is the rate, no window
/// holds more than its limit, a request larger than the rate still goes, a request is split only
/// where whole ones cannot reach the rate, and corrections follow DynamoDB's counts.
final class PacingBucketTests: XCTestCase {
    /// Sends `items` (units each) repeatedly for `seconds`, waiting as told; returns each send's time and units.
    func drive(_ bucket: inout PacingBucket, rate: Double, windowLimit: Double? = nil, items: [Double],
               seconds: Double) -> [(at: Double, units: Double, count: Int)] {
        var sent: [(at: Double, units: Double, count: Int)] = []
        var time = 0.0
        var pending = items
        while time < seconds {
            switch bucket.take(pending, rate: rate, windowLimit: windowLimit ?? rate, now: time) {
            case .success(let grant):
                sent.append((time, grant.units, grant.items))
                pending = grant.items < pending.count ? Array(pending.dropFirst(grant.items)) : items
            case .failure(let wait):
                XCTAssertGreaterThan(wait.seconds, 0)
                time += min(wait.seconds, 0.1)
            }
        }
        return sent
    }

    func maxInAnyWindow(_ sent: [(at: Double, units: Double, count: Int)]) -> Double {
        sent.indices.map { index in sent[...index].filter { $0.at > sent[index].at - 1 }.reduce(0) { $0 + $1.units } }.max() ?? 0
    }

    func testTheAverageIsTheRateAndNoWindowHoldsMore() {
        for (rate, batch) in [(320.0, 50.0), (400.0, 25.0), (50.0, 25.0)] {
            var bucket = PacingBucket(burstSeconds: 1)
            let sent = drive(&bucket, rate: rate, items: Array(repeating: 1, count: Int(batch)), seconds: 30)
            let total = sent.reduce(0) { $0 + $1.units }
            XCTAssertEqual(total / 30, rate, accuracy: rate * 0.04, "rate \(rate)")
            XCTAssertLessThanOrEqual(maxInAnyWindow(sent), rate + 1e-6, "rate \(rate): a window holds at most the rate")
        }
    }

    func testARequestLargerThanTheRateGoesAloneAndLeavesADebt() {
        var bucket = PacingBucket(burstSeconds: 1)
        guard case .success(let first) = bucket.take([25], rate: 5, windowLimit: 5, now: 0) else { return XFailNow() }
        XCTAssertEqual(first.units, 25)
        guard case .failure(let wait) = bucket.take([25], rate: 5, windowLimit: 5, now: 0.001) else { return XFailNow() }
        XCTAssertEqual(wait.seconds, 5, accuracy: 0.01, "the debt of 25 units at 5/s")
    }

    func testAWindowLimitAboveTheRateLetsAFractionalRateBeReached() {
        // 388 units/s is 15.5 batches of 25: a window capped at 388 holds 15 (375/s); one capped
        // at the table's known 400 holds 16 while the bucket keeps the average at 388.
        var strict = PacingBucket(burstSeconds: 1)
        var shared = PacingBucket(burstSeconds: 1)
        let batch = Array(repeating: 1.0, count: 25)
        let capped = drive(&strict, rate: 388, windowLimit: 388, items: batch, seconds: 30)
        let roomy = drive(&shared, rate: 388, windowLimit: 400, items: batch, seconds: 30)
        XCTAssertEqual(roomy.reduce(0) { $0 + $1.units } / 30, 388, accuracy: 6)
        XCTAssertLessThanOrEqual(maxInAnyWindow(roomy), 400)
        XCTAssertTrue(roomy.allSatisfy { $0.count == 25 }, "whole batches reach the rate: none is split")
        XCTAssertEqual(capped.reduce(0) { $0 + $1.units } / 30, 388, accuracy: 6,
                       "with no room above the rate, split requests fill the window to it")
        XCTAssertLessThanOrEqual(maxInAnyWindow(capped), 388 + 1e-6)
    }

    func testSmallTablesSplitRequestsSoTheirRateIsNotLostToTheBatchSize() {
        var bucket = PacingBucket(burstSeconds: 1)
        let sent = drive(&bucket, rate: 60, windowLimit: 60, items: Array(repeating: 1, count: 25), seconds: 60)
        XCTAssertEqual(sent.reduce(0) { $0 + $1.units } / 60, 60, accuracy: 2, "whole batches alone would reach 50/s")
        XCTAssertLessThanOrEqual(maxInAnyWindow(sent), 60 + 1e-6)
        XCTAssertTrue(sent.allSatisfy { $0.count >= 5 }, "a split sends a fifth of a batch at least")
    }

    func testCorrectionsFollowWhatDynamoDBCharged() {
        var bucket = PacingBucket(burstSeconds: 1)
        guard case .success(let grant) = bucket.take([10], rate: 10, windowLimit: 10, now: 0) else { return XFailNow() }
        guard case .failure = bucket.take([10], rate: 10, windowLimit: 10, now: 0.5) else { return XFailNow() }
        bucket.correct(id: grant.id, charged: 10, units: 2)  // DynamoDB charged 2 units
        guard case .success = bucket.take([5], rate: 10, windowLimit: 10, now: 0.5) else {
            return XCTFail("the 8 units given back make room at once")
        }
    }

    private func XFailNow(file: StaticString = #filePath, line: UInt = #line) {
        XCTFail("unexpected answer from the bucket", file: file, line: line)
    }
}

extension PacingBucketTests {
    func testARequestLargerThanTheWindowGoesInParts() {
        // 25 one-unit items on a 20-unit/s table: per-second accounting would leave 5 of them
        // unprocessed every time; sent as 20 and 5 they all fit.
        var bucket = PacingBucket(burstSeconds: 1)
        let sent = drive(&bucket, rate: 20, items: Array(repeating: 1, count: 25), seconds: 20)
        XCTAssertTrue(sent.allSatisfy { $0.units <= 20 }, "\(sent.prefix(4))")
        XCTAssertLessThanOrEqual(maxInAnyWindow(sent), 20 + 1e-6)
        XCTAssertEqual(sent.reduce(0) { $0 + $1.units } / 20, 20, accuracy: 1.5)
    }
}
