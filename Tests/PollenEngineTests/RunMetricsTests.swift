import XCTest
@testable import PollenEngine

/// The run's counters, rates, ETA and alerts, computed from a scripted event stream.
final class RunMetricsTests: XCTestCase {
    // MARK: Event builders

    static func started(_ tables: [TableInfo], assets: Int?) -> EngineEvent.Body {
        .runStarted(RunInfo(runId: "run-1", endpoint: "http://local", region: "us-east-1", tablePrefix: "",
                            tables: tables, assets: assets, dryRun: false, resumed: false, runDirectory: nil))
    }

    static func loaded(_ symbol: String, _ table: PollenTable, items: Int, rejected: Int = 0, duplicates: Int = 0,
                       alreadyWritten: Int = 0) -> EngineEvent.Body {
        .tableLoaded(TableLoad(symbol: symbol, table: table, items: items, units: items, rejected: rejected,
                               duplicates: duplicates, alreadyWritten: alreadyWritten))
    }

    static func sent(_ batch: UInt64, _ table: PollenTable, items: Int, attempt: Int = 1) -> EngineEvent.Body {
        .batchSent(BatchInfo(batch: batch, symbol: "AAA", table: table, items: items, units: items, attempt: attempt))
    }

    static func ack(_ batch: UInt64, _ table: PollenTable, written: Int, unprocessed: Int = 0, units: Double? = nil) -> EngineEvent.Body {
        .batchAcknowledged(BatchAck(batch: batch, symbol: "AAA", table: table, written: written, unprocessed: unprocessed,
                                    consumedUnits: units ?? Double(written), latencyMs: 12))
    }

    static func throttled(_ batch: UInt64, _ table: PollenTable) -> EngineEvent.Body {
        .batchThrottled(BatchIssue(batch: batch, symbol: "AAA", table: table, code: "ProvisionedThroughputExceededException",
                                   category: .throttling, message: "slow down"))
    }

    static func retry(_ batch: UInt64, _ table: PollenTable, attempt: Int, reason: RetryReason, items: Int) -> EngineEvent.Body {
        .retryScheduled(RetryInfo(batch: batch, symbol: "AAA", table: table, attempt: attempt, delaySeconds: 1,
                                  reason: reason, items: items))
    }

    static func failed(_ batch: UInt64, _ table: PollenTable, keys: Int) -> EngineEvent.Body {
        .batchFailed(BatchFailure(batch: batch, symbol: "AAA", table: table, keys: (0..<keys).map { "k\($0)" }, attempts: 3,
                                  error: "gave up"))
    }

    static func marked(_ symbol: String, error: String? = nil) -> EngineEvent.Body {
        .assetMarked(AssetMark(symbol: symbol, status: .complete, lastPollenationDate: nil, confirmed: error == nil,
                               error: error, durationSeconds: 1))
    }

    func feed(_ metrics: RunMetrics, _ events: [(Double, EngineEvent.Body)]) {
        for (time, body) in events { metrics.receive(EngineEvent(elapsed: time, body: body)) }
    }

    func table(_ snapshot: ProgressSnapshot, _ table: PollenTable) throws -> ProgressSnapshot.TableProgress {
        try XCTUnwrap(snapshot.tables.first { $0.table == table })
    }

    func alertNamed(_ metrics: RunMetrics, _ name: Alert.Kind, at time: Double) throws -> Alert {
        try XCTUnwrap(metrics.alerts(at: time).first { $0.name == name })
    }

    // MARK: Tests

    func testPerTableCountersThroughARun() throws {
        let metrics = RunMetrics()
        feed(metrics, [
            (0, Self.started([TableInfo(table: .earnings, name: "p_earnings", provisionedWCU: 100),
                              TableInfo(table: .cashFlow, name: "p_cashFlow", provisionedWCU: nil)], assets: 4)),
            (0, .rateChanged(RateChange(table: .earnings, unitsPerSecond: 100, reason: .start))),
            (0.1, .assetStarted(symbol: "AAA")),
            (0.2, Self.loaded("AAA", .earnings, items: 50, rejected: 2, duplicates: 1)),
            (0.2, Self.loaded("AAA", .cashFlow, items: 20)),
            (0.5, Self.sent(1, .earnings, items: 25)),
            (0.5, Self.sent(2, .earnings, items: 25)),
            (0.5, Self.sent(3, .cashFlow, items: 20)),
        ])
        var snapshot = metrics.snapshot(at: 0.6)
        var earnings = try table(snapshot, .earnings)
        var cashFlow = try table(snapshot, .cashFlow)
        XCTAssertEqual(snapshot.tables.map(\.table), [.earnings, .cashFlow], "in table order")
        XCTAssertEqual(earnings.name, "p_earnings")
        XCTAssertEqual(earnings.provisionedWCU, 100)
        XCTAssertNil(cashFlow.provisionedWCU)
        XCTAssertEqual(earnings.allowedUnitsPerSecond, 100)
        XCTAssertEqual(earnings.inFlight, 2)
        XCTAssertEqual(cashFlow.inFlight, 1)
        XCTAssertEqual(earnings.itemsKnown, 50)
        XCTAssertEqual(earnings.rejected, 2)
        XCTAssertEqual(snapshot.itemsKnown, 70)
        XCTAssertEqual(snapshot.itemsRejected, 2)
        XCTAssertEqual(snapshot.assetsTotal, 4)
        XCTAssertEqual(snapshot.assetsStarted, 1)

        feed(metrics, [
            (1.2, Self.ack(1, .earnings, written: 25)),
            (1.3, Self.ack(2, .earnings, written: 20, unprocessed: 5)),
            (1.3, Self.retry(2, .earnings, attempt: 2, reason: .unprocessed, items: 5)),
            (1.4, Self.throttled(3, .cashFlow)),
            (1.4, Self.retry(3, .cashFlow, attempt: 2, reason: .throttled, items: 20)),
        ])
        snapshot = metrics.snapshot(at: 1.5)
        earnings = try table(snapshot, .earnings)
        cashFlow = try table(snapshot, .cashFlow)
        XCTAssertEqual(earnings.inFlight, 0)
        XCTAssertEqual(earnings.backingOff, 1)
        XCTAssertEqual(earnings.written, 45)
        XCTAssertEqual(earnings.retries, 1)
        XCTAssertEqual(earnings.unprocessedItems, 5)
        XCTAssertEqual(earnings.requests, 2)
        XCTAssertEqual(cashFlow.inFlight, 0)
        XCTAssertEqual(cashFlow.backingOff, 1)
        XCTAssertEqual(cashFlow.throttledRequests, 1)
        XCTAssertEqual(cashFlow.retries, 1)

        feed(metrics, [
            (2.1, Self.sent(2, .earnings, items: 5, attempt: 2)),
            (2.1, Self.sent(3, .cashFlow, items: 20, attempt: 2)),
        ])
        snapshot = metrics.snapshot(at: 2.2)
        XCTAssertEqual(try table(snapshot, .earnings).backingOff, 0, "sending again ends the backoff")
        XCTAssertEqual(try table(snapshot, .earnings).inFlight, 1)
        XCTAssertEqual(try table(snapshot, .cashFlow).backingOff, 0)

        feed(metrics, [
            (2.3, Self.ack(2, .earnings, written: 5)),
            (3.6, Self.throttled(3, .cashFlow)),
            (4.0, Self.failed(3, .cashFlow, keys: 20)),
        ])
        XCTAssertEqual(try table(metrics.snapshot(at: 4.5), .cashFlow).failed, 0, "failed items count when the pair ends")
        XCTAssertEqual(try table(metrics.snapshot(at: 4.5), .cashFlow).backingOff, 0, "a given-up batch no longer backs off")
        feed(metrics, [
            (4.1, .tableFinished(TableResult(symbol: "AAA", table: .cashFlow, state: .failed, written: 0, failed: 20,
                                             rejected: 0, reason: "20 of 20 items not written: gave up"))),
            (4.1, .tableFinished(TableResult(symbol: "AAA", table: .earnings, state: .ok, written: 50, failed: 0,
                                             rejected: 0, reason: nil))),
        ])
        snapshot = metrics.snapshot(at: 5.0)
        earnings = try table(snapshot, .earnings)
        cashFlow = try table(snapshot, .cashFlow)
        XCTAssertEqual(earnings.written, 50)
        XCTAssertEqual(earnings.failed, 0)
        XCTAssertEqual(earnings.inFlight, 0)
        XCTAssertEqual(earnings.consumedUnits, 50)
        XCTAssertEqual(cashFlow.failed, 20)
        XCTAssertEqual(cashFlow.throttledRequests, 2)
        XCTAssertEqual(cashFlow.inFlight, 0)
        XCTAssertEqual(cashFlow.backingOff, 0)
        XCTAssertEqual(snapshot.itemsWritten, 50)
        XCTAssertEqual(snapshot.itemsFailed, 20)
        // 50 items and 50 units in seconds 1 and 2, averaged over the 5 seconds so far.
        XCTAssertEqual(earnings.itemsPerSecond, 10, accuracy: 1e-9)
        XCTAssertEqual(earnings.unitsPerSecond, 10, accuracy: 1e-9)
        XCTAssertEqual(snapshot.itemsPerSecond, 10, accuracy: 1e-9)
        XCTAssertEqual(snapshot.unitsPerSecond, 10, accuracy: 1e-9)
        XCTAssertEqual(earnings.unitsHistory.suffix(5), [0, 45, 5, 0, 0])
        // Requests pushed back: earnings 1 of 3 (unprocessed items), cashFlow 2 of 2 (throttled).
        XCTAssertEqual(earnings.throttledPercent, 100.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(cashFlow.throttledPercent, 100, accuracy: 1e-9)
        XCTAssertEqual(snapshot.throttledPercent, 60, accuracy: 1e-9)
        // Finished batches: 1 and 2 acknowledged in full, 3 failed.
        XCTAssertEqual(snapshot.batchFailurePercent, 100.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(snapshot.retriesPerSecond, 2.0 / 5, accuracy: 1e-9)

        let totals = metrics.tableTotals()
        XCTAssertEqual(totals[.earnings]?.written, 50)
        XCTAssertEqual(totals[.earnings]?.duplicates, 1)
        XCTAssertEqual(totals[.cashFlow]?.failed, 20)
        XCTAssertEqual(totals[.cashFlow]?.throttled, 2)

        // The rates fall to zero once the writes leave the 10-second window.
        snapshot = metrics.snapshot(at: 14.5)
        XCTAssertEqual(snapshot.itemsPerSecond, 0)
        XCTAssertEqual(snapshot.throttledPercent, 0)
        XCTAssertNil(snapshot.etaSeconds)
    }

    func testAlreadyWrittenItemsCountAsKnownAndWritten() throws {
        let metrics = RunMetrics()
        feed(metrics, [(0, Self.loaded("AAA", .earnings, items: 3, alreadyWritten: 7))])
        let earnings = try table(metrics.snapshot(at: 1), .earnings)
        XCTAssertEqual(earnings.itemsKnown, 10)
        XCTAssertEqual(earnings.written, 7)
    }

    func testETAFromTheRateAndTheAssetsNotReadYet() {
        let metrics = RunMetrics()
        var events: [(Double, EngineEvent.Body)] = [
            (0, Self.started([TableInfo(table: .earnings, name: "earnings", provisionedWCU: nil)], assets: 4)),
            (0, .assetStarted(symbol: "A")),
            (0, Self.loaded("A", .earnings, items: 100)),
        ]
        for second in 0..<10 { events.append((Double(second) + 0.5, Self.ack(UInt64(second), .earnings, written: 10))) }
        events += [(9.6, Self.marked("A")), (9.7, .assetStarted(symbol: "B")), (9.8, Self.loaded("B", .earnings, items: 100))]
        feed(metrics, events)
        let snapshot = metrics.snapshot(at: 10)
        XCTAssertEqual(snapshot.itemsPerSecond, 10, accuracy: 1e-9)
        XCTAssertEqual(snapshot.assetsDone, 1)
        XCTAssertEqual(snapshot.assetsStarted, 2)
        // 100 items of B left, and 2 assets not read yet at 100 items each: 300 items at 10/s.
        XCTAssertEqual(try XCTUnwrap(snapshot.etaSeconds), 30, accuracy: 1e-9)

        // Without a known number of assets, only the items known count.
        let open = RunMetrics()
        feed(open, events.map { $0.0 == 0 && $0.1.isRunStarted
                ? (0, Self.started([TableInfo(table: .earnings, name: "earnings", provisionedWCU: nil)], assets: nil)) : $0 })
        XCTAssertEqual(try XCTUnwrap(open.snapshot(at: 10).etaSeconds), 10, accuracy: 1e-9)
        // Nothing written lately: no estimate.
        XCTAssertNil(open.snapshot(at: 30).etaSeconds)
        XCTAssertNil(RunMetrics().snapshot(at: 5).etaSeconds)
    }

    func testBatchFailureRateAlert() throws {
        let metrics = RunMetrics()
        feed(metrics, [
            (1, Self.ack(1, .earnings, written: 25)),
            (1, Self.ack(2, .earnings, written: 25)),
            (1, Self.ack(3, .earnings, written: 20, unprocessed: 5)),  // not finished yet
            (1, Self.failed(4, .earnings, keys: 25)),
        ])
        var alert = try alertNamed(metrics, .batchFailureRate, at: 2)
        XCTAssertEqual(alert.value, 100.0 / 3, accuracy: 1e-9)
        XCTAssertFalse(alert.active, "fewer than 5 finished batches")
        feed(metrics, [(1.5, Self.ack(3, .earnings, written: 5)), (1.6, Self.ack(5, .earnings, written: 25))])
        alert = try alertNamed(metrics, .batchFailureRate, at: 2)
        XCTAssertEqual(alert.value, 20, accuracy: 1e-9)
        XCTAssertEqual(alert.threshold, 15)
        XCTAssertTrue(alert.active, "1 of 5 finished batches failed")
        feed(metrics, [(1.7, Self.ack(6, .earnings, written: 25)), (1.8, Self.ack(7, .earnings, written: 25))])
        alert = try alertNamed(metrics, .batchFailureRate, at: 2)
        XCTAssertEqual(alert.value, 100.0 / 7, accuracy: 1e-9)
        XCTAssertFalse(alert.active, "1 of 7 is under 15%")
    }

    func testSlowAssetAlert() throws {
        let metrics = RunMetrics()
        feed(metrics, [(0, .assetStarted(symbol: "A")), (30, .assetStarted(symbol: "B"))])
        XCTAssertFalse(try alertNamed(metrics, .slowAsset, at: 60).active)
        let slow = try alertNamed(metrics, .slowAsset, at: 61)
        XCTAssertTrue(slow.active)
        XCTAssertEqual(slow.value, 61, accuracy: 1e-9, "the slowest asset in progress")
        feed(metrics, [(62, Self.marked("A"))])
        let after = try alertNamed(metrics, .slowAsset, at: 63)
        XCTAssertFalse(after.active, "B has run 33 s")
        XCTAssertEqual(after.value, 33, accuracy: 1e-9)
        XCTAssertTrue(try alertNamed(metrics, .slowAsset, at: 90.5).active)
        feed(metrics, [(91, Self.marked("B"))])
        XCTAssertFalse(try alertNamed(metrics, .slowAsset, at: 200).active)
    }

    func testThrottleRateAlert() throws {
        let metrics = RunMetrics()
        var events: [(Double, EngineEvent.Body)] = []
        for index in 0..<8 { events.append((1.1, Self.ack(UInt64(index), .earnings, written: 25))) }
        events += [(1.2, Self.throttled(8, .earnings)), (1.3, Self.throttled(9, .earnings))]
        feed(metrics, events)
        var alert = try alertNamed(metrics, .throttleRate, at: 2)
        XCTAssertEqual(alert.value, 20, accuracy: 1e-9)
        XCTAssertFalse(alert.active, "20% is not above 20%")
        // An acknowledgement with unprocessed items is pushed back too.
        feed(metrics, [(1.4, Self.ack(10, .earnings, written: 20, unprocessed: 5))])
        alert = try alertNamed(metrics, .throttleRate, at: 2)
        XCTAssertEqual(alert.value, 300.0 / 11, accuracy: 1e-9)
        XCTAssertTrue(alert.active)
        XCTAssertFalse(try alertNamed(metrics, .throttleRate, at: 12.5).active, "out of the 10-second window")
    }

    func testMarkFailureRateAlert() throws {
        let metrics = RunMetrics()
        XCTAssertFalse(try alertNamed(metrics, .markFailureRate, at: 1).active)
        feed(metrics, (0..<4).map { (1, Self.marked("S\($0)")) } + [(1, Self.marked("BAD", error: "asset not registered"))])
        var alert = try alertNamed(metrics, .markFailureRate, at: 2)
        XCTAssertEqual(alert.value, 20, accuracy: 1e-9)
        XCTAssertTrue(alert.active)
        XCTAssertEqual(metrics.snapshot(at: 2).markFailurePercent, 20, accuracy: 1e-9)
        feed(metrics, (4..<9).map { (1, Self.marked("S\($0)")) })
        alert = try alertNamed(metrics, .markFailureRate, at: 2)
        XCTAssertEqual(alert.value, 10, accuracy: 1e-9)
        XCTAssertFalse(alert.active, "10% is not above 10%")
        XCTAssertEqual(metrics.snapshot(at: 2).assetsDone, 10)
    }

    func testAlertsAreTheFourThresholds() {
        let names = RunMetrics().alerts(at: 0).map(\.name)
        XCTAssertEqual(names, [.batchFailureRate, .slowAsset, .throttleRate, .markFailureRate])
        XCTAssertTrue(RunMetrics().alerts(at: 0).allSatisfy { !$0.active })
    }
}

private extension EngineEvent.Body {
    var isRunStarted: Bool {
        if case .runStarted = self { return true }
        return false
    }
}
