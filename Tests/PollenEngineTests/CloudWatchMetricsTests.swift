import Foundation
import PollenCloudWatch
import PollenTestSupport
import Synchronization
import XCTest
@testable import PollenEngine

/// The CloudWatch publisher sums a period's events into data points, per table and for the asset rows.
final class CloudWatchMetricsTests: XCTestCase {
    func event(_ body: EngineEvent.Body) -> EngineEvent { EngineEvent(elapsed: 1, body: body) }

    func testAPeriodBecomesDataPointsAndThenStartsAfresh() async throws {
        let published = Mutex<[[MetricDatum]]>([])
        let clock = InstantClock()
        let metrics = CloudWatchMetrics(clock: clock) { data in published.withLock { $0.append(data) } }
        metrics.receive(event(.batchAcknowledged(BatchAck(batch: 1, symbol: "A", table: .earnings, written: 20, unprocessed: 5,
                                                          consumedUnits: 20, latencyMs: 5))))
        metrics.receive(event(.batchAcknowledged(BatchAck(batch: 1, symbol: "A", table: .earnings, written: 5, unprocessed: 0,
                                                          consumedUnits: 5, latencyMs: 5))))
        metrics.receive(event(.batchThrottled(BatchIssue(batch: 2, symbol: "A", table: .earnings, code: "ProvisionedThroughputExceededException",
                                                         category: .throttling, message: ""))))
        metrics.receive(event(.retryScheduled(RetryInfo(batch: 2, symbol: "A", table: .earnings, attempt: 2, delaySeconds: 1,
                                                        reason: .throttled, items: 25))))
        metrics.receive(event(.batchFailed(BatchFailure(batch: 2, symbol: "A", table: .earnings, keys: ["k"], attempts: 3, error: "x"))))
        metrics.receive(event(.assetMarked(AssetMark(symbol: "A", status: .partial, lastPollenationDate: nil, confirmed: true,
                                                     error: nil, durationSeconds: 2))))
        metrics.receive(event(.assetMarked(AssetMark(symbol: "B", status: .failed, lastPollenationDate: nil, confirmed: false,
                                                     error: "asset not registered", durationSeconds: 4))))
        await metrics.flush()
        let data = try XCTUnwrap(published.withLock { $0.first })
        func value(_ name: String) -> MetricDatum.Measurement? { data.first { $0.name == name }?.measurement }
        XCTAssertEqual(value("ItemsWritten"), .value(25))
        XCTAssertEqual(value("UnprocessedItems"), .value(5))
        XCTAssertEqual(value("BatchWriteSuccesses"), .value(1))
        XCTAssertEqual(value("BatchWriteFailures"), .value(1))
        XCTAssertEqual(value("ThrottledRequests"), .value(1))
        XCTAssertEqual(value("Retries"), .value(1))
        XCTAssertEqual(value("ConsumedWriteUnits"), .value(25))
        XCTAssertEqual(value("AssetStatusUpdateSuccesses"), .value(1))
        XCTAssertEqual(value("AssetStatusUpdateFailures"), .value(1))
        XCTAssertEqual(value("AssetUpsertDuration"), .statistics(.init(sampleCount: 2, sum: 6, minimum: 2, maximum: 4)))
        XCTAssertEqual(data.first { $0.name == "ItemsWritten" }?.dimensions.first?.value, "earnings")

        await metrics.flush()
        XCTAssertEqual(published.withLock { $0.count }, 1, "an empty period publishes nothing")
    }

    func testPublishingFailuresAreKeptNotThrown() async {
        struct Refused: Error {}
        let metrics = CloudWatchMetrics(clock: InstantClock()) { _ in throw Refused() }
        metrics.receive(event(.assetMarked(AssetMark(symbol: "A", status: .complete, lastPollenationDate: "x", confirmed: true,
                                                     error: nil, durationSeconds: 1))))
        await metrics.flush()
        XCTAssertEqual(metrics.publishFailures.count, 1)
    }

    func testPeriodicPublishingFlushesEachPeriod() async throws {
        let count = Mutex(0)
        let clock = InstantClock()
        let metrics = CloudWatchMetrics(clock: clock) { _ in count.withLock { $0 += 1 } }
        metrics.receive(event(.assetMarked(AssetMark(symbol: "A", status: .complete, lastPollenationDate: "x", confirmed: true,
                                                     error: nil, durationSeconds: 1))))
        let task = Task { await metrics.publishPeriodically(every: 60) }
        while count.withLock({ $0 }) == 0 { await Task.yield() }
        task.cancel()
        _ = await task.result
        XCTAssertEqual(clock.sleeps.first, 60)
    }
}
