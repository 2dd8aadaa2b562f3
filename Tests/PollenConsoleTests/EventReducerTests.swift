@testable import PollenEngine
import PollenConsole
import XCTest

/// Engine events in, view state out.
final class EventReducerTests: XCTestCase {
    func testRunStartedListsTheTablesAndIsRunning() {
        let console = ConsoleHarness([Events.runStarted()])
        XCTAssertEqual(console.state.run.attempt, 1)
        XCTAssertEqual(console.state.run.state, .running)
        XCTAssertEqual(console.state.tables.map(\.table), PollenTable.dataTables)
        XCTAssertEqual(console.state.tables[1].info.provisionedWCU, 50)
        XCTAssertTrue(console.state.run.isActive)
    }

    /// Runs met through their asset leases are named in the header: they write this selection too.
    func testOtherRunsMetThroughLeasesAreNamedInTheHeaderAndTheLog() throws {
        var console = ConsoleHarness([Events.runStarted()])
        let holder = LeaseHolder(runId: "20261201T150000Z-beef", host: "ops-2", expiresAt: 1_767_225_660)
        console.feed(EngineEvent(elapsed: 1, body: .leaseMet(LeaseMeeting(symbol: "IBM", holder: holder, takenOver: false))))
        console.feed(EngineEvent(elapsed: 2, body: .leaseMet(LeaseMeeting(symbol: "MSFT", holder: holder, takenOver: false))))
        XCTAssertEqual(Array(console.state.otherRuns.keys), ["20261201T150000Z-beef"])
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer(unicode: true).render(console.state, width: 160, height: 40, into: &buffer)
        XCTAssertTrue(buffer.textLines[0].contains("also running 20261201T150000Z-beef@ops-2"), buffer.textLines[0])
        XCTAssertTrue(console.state.log.lines.contains { $0.text.contains("IBM held by run 20261201T150000Z-beef on host ops-2") },
                      "the meeting is in the event log")
    }

    func testProgressSnapshotFillsTheTableRows() throws {
        let state = BackfillScenario.state(BackfillScenario().events(until: 90.3))
        let snapshot = try XCTUnwrap(state.run.progress)
        XCTAssertEqual(snapshot.elapsedSeconds, 90)
        let earnings = try XCTUnwrap(state.tables.first { $0.table == .earnings })
        let progress = try XCTUnwrap(earnings.progress)
        XCTAssertEqual(progress.itemsKnown, 4000)
        XCTAssertEqual(progress.failed, 25)
        XCTAssertGreaterThan(progress.throttledPercent, 20)
        XCTAssertEqual(earnings.allowedUnitsPerSecond, 35.2)
        XCTAssertEqual(earnings.status(runFinished: false), .throttled)
        XCTAssertEqual(progress.unitsHistory.count, 120)
        let overview = try XCTUnwrap(state.tables.first { $0.table == .companyOverview })
        XCTAssertNil(overview.info.provisionedWCU)
        XCTAssertNil(overview.allowedUnitsPerSecond)
        XCTAssertEqual(overview.status(runFinished: false), .idle)
    }

    func testRetryScheduledBacksOffWithACountdownUntilTheBatchIsSentAgain() throws {
        var console = ConsoleHarness([Events.runStarted()])
        console.feed(Events.retryScheduled(10, 7, "MSFT", .earnings, attempt: 2, delay: 2.5, reason: .throttled, items: 25))
        console.feed(Events.retryScheduled(10.2, 8, "AAPL", .earnings, attempt: 3, delay: 4, reason: .unprocessed, items: 3))
        XCTAssertEqual(console.state.retries.backingOff.map(\.retry.batch), [7, 8], "the next one due first")
        let entry = try XCTUnwrap(console.state.retries.backingOff.first)
        XCTAssertEqual(entry.remaining(at: console.state.clock.runElapsed), 2.5 - 0.2, accuracy: 1e-9)

        console.tick(1)  // a second later on the console's clock, with no event in between
        XCTAssertEqual(console.state.clock.runElapsed, 11.2, accuracy: 1e-9)
        XCTAssertEqual(entry.remaining(at: console.state.clock.runElapsed), 1.3, accuracy: 1e-9)

        console.feed(Events.batchSent(12.5, 9, "IBM", .earnings, items: 25, units: 25))
        XCTAssertEqual(console.state.retries.backingOff.count, 2, "another batch's send changes nothing")
        console.feed(Events.batchSent(12.6, 7, "MSFT", .earnings, items: 25, units: 25, attempt: 2))
        XCTAssertEqual(console.state.retries.backingOff.map(\.retry.batch), [8])
        console.feed(Events.batchFailed(15, 8, "AAPL", .earnings, keys: ["AAPL#1"], attempts: 3, error: "gave up"))
        XCTAssertEqual(console.state.retries.backingOff.count, 0, "a batch given up no longer backs off")
    }

    func testRetriesAreCountedByAttemptAndReason() {
        var console = ConsoleHarness([Events.runStarted()])
        console.feed([
            Events.retryScheduled(1, 1, "A", .earnings, attempt: 2, delay: 1, reason: .throttled, items: 25),
            Events.retryScheduled(2, 1, "A", .earnings, attempt: 3, delay: 1, reason: .throttled, items: 25),
            Events.retryScheduled(2, 2, "B", .cashFlow, attempt: 2, delay: 0.1, reason: .unprocessed, items: 2),
            Events.retryScheduled(3, 3, "C", .cashFlow, attempt: 2, delay: 0.1, reason: .transient, items: 25),
        ])
        XCTAssertEqual(console.state.retries.byAttempt, [2: 3, 3: 1])
        XCTAssertEqual(console.state.retries.byReason, [.throttled: 2, .unprocessed: 1, .transient: 1])
        XCTAssertEqual(console.state.retries.total, 4)
    }

    func testAssetsGoFromWritingToTheirMarkWithTheConfirmedDate() throws {
        var console = ConsoleHarness([Events.runStarted(), Events.assetStarted(1, "AAPL"), Events.assetStarted(1.5, "MSFT")])
        XCTAssertEqual(console.state.assets.rows.map(\.phase), [.writing, .writing])
        console.feed(Events.assetMarked(20, "AAPL", .complete, date: "2026-01-02", confirmed: true))
        console.feed(Events.assetMarked(21, "MSFT", .failed, date: nil, confirmed: false, error: "asset not registered"))
        let apple = try XCTUnwrap(console.state.assets["AAPL"])
        XCTAssertEqual(apple.phase, .complete)
        XCTAssertEqual(apple.lastPollenationDate, "2026-01-02")
        XCTAssertTrue(apple.confirmed)
        let microsoft = try XCTUnwrap(console.state.assets["MSFT"])
        XCTAssertEqual(microsoft.phase, .failed)
        XCTAssertNil(microsoft.lastPollenationDate)
        XCTAssertEqual(microsoft.markError, "asset not registered")
        XCTAssertEqual(console.state.assets.count(.complete), 1)
    }

    func testStateChangesFollowTheEngine() {
        var console = ConsoleHarness([Events.runStarted()])
        console.feed(Events.stateChanged(3, .paused))
        XCTAssertEqual(console.state.run.state, .paused)
        console.feed(Events.stateChanged(4, .running))
        XCTAssertEqual(console.state.run.state, .running)
        console.feed(Events.stateChanged(5, .draining))
        XCTAssertEqual(console.state.run.state, .draining)
        XCTAssertTrue(console.state.run.isActive)
        XCTAssertEqual(console.state.log.lines.map(\.kind), ["start", "paused", "resumed", "draining"])
    }

    func testAlertsComeAndGo() {
        var console = ConsoleHarness([Events.runStarted(), Events.throttleAlert(30, value: 34)])
        XCTAssertEqual(console.state.alerts.active.map(\.alert.name), [.throttleRate])
        XCTAssertEqual(console.state.alerts.active.first?.at, 30)
        console.feed(Events.throttleAlert(45, value: 12, active: false))
        XCTAssertTrue(console.state.alerts.active.isEmpty)
        XCTAssertEqual(console.state.alerts.cleared.map(\.alert.name), [.throttleRate])
        XCTAssertEqual(console.state.log.lines.suffix(2).map(\.severity), [.error, .info])
    }

    func testSummaryEndsTheRunAndShowsTheSummaryScreen() throws {
        var console = ConsoleHarness([Events.runStarted()])
        console.feed(Events.retryScheduled(4, 3, "MSFT", .earnings, attempt: 2, delay: 9, reason: .throttled, items: 25))
        console.feed(ConsoleHarness.finishedRun().suffix(2))
        XCTAssertTrue(console.state.run.isFinished)
        XCTAssertFalse(console.state.run.isActive)
        XCTAssertEqual(try XCTUnwrap(console.state.run.summary).exitCode, 2)
        XCTAssertTrue(console.state.ui.showsSummary)
        XCTAssertEqual(console.state.retries.backingOff.count, 0)
        XCTAssertEqual(console.state.attempts.map(\.number), [1])
        console.tick(100)
        XCTAssertEqual(console.state.clock.runElapsed, 5, "the clock stops at the summary's elapsed time")
    }

    func testTheSummarySettlesAssetsThatEndedWithoutAMark() throws {
        var console = ConsoleHarness([Events.runStarted(), Events.assetStarted(1, "AAPL")])
        console.feed(Events.summary(9, status: .partial, exitCode: 130, assets: [
            "AAPL": RunSummary.AssetSummary(status: .partial, lastPollenationDate: nil, confirmed: false),
        ], interrupted: true))
        XCTAssertEqual(try XCTUnwrap(console.state.assets["AAPL"]).phase, .partial)
    }

    func testASecondRunAfterTheSummaryIsANewAttemptThatKeepsTheAssets() throws {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertEqual(console.state.assetsFailing(.earnings).map(\.symbol), ["MSFT"])
        console.press(.down)  // earnings
        XCTAssertEqual(console.press(.character("r")), [.rerun(table: .earnings)])

        console.feed(Events.runStarted(0, runId: "bf-20260101-8b4c", assets: 1, tables: [Events.tables[1]]))
        XCTAssertEqual(console.state.run.attempt, 2)
        XCTAssertEqual(console.state.run.rerun, RerunRequest(table: .earnings))
        XCTAssertEqual(console.state.run.state, .running)
        XCTAssertNil(console.state.run.summary)
        XCTAssertNil(console.state.run.progress)
        XCTAssertFalse(console.state.ui.showsSummary)
        XCTAssertEqual(console.state.tables.map(\.table), [.earnings])
        XCTAssertEqual(console.state.tables[0].pairsFailed, 0, "table counts are per run")
        XCTAssertEqual(try XCTUnwrap(console.state.assets["MSFT"]).phase, .queued)
        XCTAssertEqual(try XCTUnwrap(console.state.assets["AAPL"]).phase, .complete, "assets that did not fail stay")
        XCTAssertEqual(console.state.log.lines.last?.kind, "attempt 2")

        console.feed([
            Events.assetStarted(0.2, "MSFT"),
            Events.tableFinished(2, "MSFT", .earnings, .ok, written: 2),
            Events.assetMarked(2.5, "MSFT", .complete, date: "2026-01-03"),
            Events.stateChanged(3, .done),
            Events.summary(3, status: .complete, exitCode: 0),
        ])
        let microsoft = try XCTUnwrap(console.state.assets["MSFT"])
        XCTAssertEqual(microsoft.phase, .complete)
        XCTAssertEqual(microsoft.lastPollenationDate, "2026-01-03")
        XCTAssertEqual(microsoft.attempt, 2)
        XCTAssertTrue(console.state.assetsFailing(nil).isEmpty)
        XCTAssertEqual(console.state.attempts.map(\.number), [1, 2])
        XCTAssertEqual(console.state.attempts.map(\.exitCode), [2, 0])
        XCTAssertEqual(console.state.attempts[1].rerun, RerunRequest(table: .earnings))
        XCTAssertEqual(console.state.failures.batches.map(\.attempt), [1], "earlier failures stay, with their run")
    }

    func testAQueuedAssetTheRerunNeverReachedGoesBackToItsStatus() throws {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.character("R"))
        console.feed(Events.runStarted(0, runId: "bf-2", assets: 1))
        XCTAssertEqual(try XCTUnwrap(console.state.assets["MSFT"]).phase, .queued)
        console.feed([Events.stateChanged(1, .done), Events.summary(1, status: .failed, exitCode: 130, interrupted: true)])
        XCTAssertEqual(try XCTUnwrap(console.state.assets["MSFT"]).phase, .partial)
    }

    func testLogLinesTellWhatFailedAndWhyButSkipRoutineEvents() {
        var console = ConsoleHarness([Events.runStarted()])
        let before = console.state.log.count
        console.feed([
            Events.assetStarted(1, "AAPL"),
            Events.tableLoaded(1, "AAPL", .earnings, items: 40, units: 40),
            Events.batchSent(2, 1, "AAPL", .earnings, items: 25, units: 25),
            Events.batchAcknowledged(2.1, 1, "AAPL", .earnings, written: 25, units: 25),
            Events.rateChanged(3, .earnings, 40, reason: .probe),
        ])
        XCTAssertEqual(console.state.log.count, before, "routine events make no line")
        console.feed([
            Events.batchThrottled(4, 2, "AAPL", .earnings),
            Events.batchFailed(9, 2, "AAPL", .earnings, keys: ["AAPL#2020-Q1"], attempts: 3, error: "gave up: throttled"),
            Events.tableFinished(9, "AAPL", .earnings, .failed, written: 25, failed: 1, reason: "1 of 26 items not written"),
            Events.rateChanged(10, .earnings, 25, reason: .operatorCap),
        ])
        let lines = console.state.log.lines.suffix(4)
        XCTAssertEqual(lines.map(\.kind), ["throttled", "failed", "table", "cap"])
        XCTAssertEqual(lines.map(\.severity), [.warning, .error, .error, .info])
        XCTAssertTrue(lines.contains { $0.text == "earnings failed for AAPL: 1 of 26 items not written" })
        XCTAssertTrue(lines.contains { $0.text.contains("given up after 3 attempts, 1 keys: gave up: throttled") })
    }

    func testTheLogKeepsItsNewestLines() {
        var console = ConsoleHarness([Events.runStarted()])
        for index in 0..<(EventLog.capacity * 2) {
            console.feed(Events.batchThrottled(Double(index), UInt64(index), "AAPL", .earnings))
        }
        XCTAssertLessThanOrEqual(console.state.log.count, EventLog.capacity + EventLog.capacity / 4)
        XCTAssertEqual(console.state.log.lines.last?.text.contains("#\(EventLog.capacity * 2 - 1)"), true)
        XCTAssertGreaterThan(console.state.log.dropped, 0)
    }
}

/// The live source's fetching shows in the header and its failures in the event log.
final class FetchProgressTests: XCTestCase {
    func testFetchProgressReachesTheHeaderAndTheLog() throws {
        var state = BackfillScenario.state(BackfillScenario().events(until: 20))
        var snapshot = try XCTUnwrap(state.run.progress)
        snapshot.fetch = ProgressSnapshot.FetchSummary(assetsFetched: 7, assetsPending: 13, requests: 36, errors: 1,
                                                       requestsLastMinute: 4.8, budgetPerMinute: 5)
        snapshot.elapsedSeconds = 21
        _ = ConsoleReducer().reduce(&state, .engine(Events.progress(snapshot)))
        _ = ConsoleReducer().reduce(&state, .engine(EngineEvent(elapsed: 21, body: .fetchProgress(FetchProgress(
            symbol: "IBM", function: "EARNINGS", outcome: .failed, attempt: 3, message: "Alpha Vantage rate limit: try later",
            assetsFetched: 7, assetsPending: 13, budgetPerMinute: 5)))))
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer().render(state, width: 132, height: 43, into: &buffer)
        let screen = buffer.textLines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("fetched 7/20"), screen)
        XCTAssertTrue(screen.contains("fetch errors 1"), screen)
        XCTAssertTrue(state.log.lines.contains { $0.kind == "fetch" && $0.text.contains("EARNINGS IBM failed") })
    }

    func testFetchingStoppedByTheDailyLimitShowsInTheHeaderAndTheLog() throws {
        var state = BackfillScenario.state(BackfillScenario().events(until: 20))
        var snapshot = try XCTUnwrap(state.run.progress)
        let reason = "Alpha Vantage daily limit: our standard API rate limit is 25 requests per day."
        snapshot.fetch = ProgressSnapshot.FetchSummary(assetsFetched: 2, assetsPending: 6, requests: 13, errors: 0,
                                                       requestsLastMinute: 13, budgetPerMinute: 60, stopped: reason)
        snapshot.elapsedSeconds = 21
        _ = ConsoleReducer().reduce(&state, .engine(Events.progress(snapshot)))
        _ = ConsoleReducer().reduce(&state, .engine(EngineEvent(elapsed: 21, body: .fetchProgress(FetchProgress(
            symbol: "IBM", function: "EARNINGS", outcome: .stopped, attempt: 1, message: reason,
            assetsFetched: 2, assetsPending: 6, budgetPerMinute: 60)))))
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer().render(state, width: 132, height: 43, into: &buffer)
        let header = buffer.textLines.prefix(2).joined(separator: "\n")
        XCTAssertTrue(header.contains("fetching STOPPED"), header)
        XCTAssertTrue(state.log.lines.contains { $0.kind == "fetch" && $0.text == "fetching stopped: " + reason })
    }
}
