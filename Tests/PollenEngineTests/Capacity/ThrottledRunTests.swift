import Foundation
import PollenDynamoDB
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The engine under throttling it must read right: a hot key slows only itself, batches asleep
/// in backoff lend their slots so the table keeps busy, and announced capacity is re-read.
final class ThrottledRunTests: XCTestCase {
    func testAHotKeyIsPacedOnItsOwnAndTheTableIsNotCut() async throws {
        let symbols = ["HOT", "COLD1", "COLD2", "COLD3"]
        let db = ScriptedDynamoDB(registered: symbols) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && call.symbol == "HOT" && call.index < 6
                ? .throttled(reasons: ["TableWriteKeyRangeThroughputExceeded"]) : .normal
        }
        let outcome = await BackfillEngineTests.run(db, symbols: symbols, tables: [.earnings])
        XCTAssertEqual(outcome.result.exitCode, 0)
        XCTAssertEqual(db.itemCount(in: "earnings"), 8)
        let changes = outcome.events.compactMap(\.rateChange)
        let hot = changes.filter { $0.symbol == "HOT" }
        XCTAssertEqual(hot.first?.reason, .pushedBack, "the hot key got a pacer of its own: \(changes)")
        XCTAssertEqual(hot.first?.table, .earnings)
        XCTAssertFalse(changes.contains { $0.symbol == nil && $0.reason == .pushedBack },
                       "the table's rate was never cut for one key")
        XCTAssertEqual(outcome.summary.tables[.earnings]?.throttleReasons?["TableWriteKeyRangeThroughputExceeded"],
                       outcome.summary.tables[.earnings]?.throttled)
    }

    func testBatchesAsleepInBackoffLetOtherAssetsStart() async throws {
        // Two assets' batches sleep in backoff for several seconds: with a window of two assets,
        // others start meanwhile instead of leaving the table idle.
        let symbols = ["SLOW1", "SLOW2", "A", "B", "C", "D"]
        let db = ScriptedDynamoDB(registered: symbols) { call in
            call.operation == "BatchWriteItem" && (call.symbol ?? "").hasPrefix("SLOW") && call.index < 8
                ? .throttled(reasons: []) : .normal
        }
        // A clock that moves only when the test says: the SLOW batches stay asleep until the
        // other assets are done (on a clock whose sleeps return at once, a busy machine could
        // wake them before the engine had started anything else).
        let clock = ManualClock()
        let done = Locked(false)
        let run = Task {
            defer { done.set(true) }
            return await BackfillEngineTests.run(db, symbols: symbols, tables: [.earnings], concurrency: 1, clock: clock)
        }
        // Time moves on only when everything that can run has: whatever is not asleep on the
        // clock (the other assets) has gone as far as it can first.
        while !done.value {
            _ = await clock.waitForSleepers(1, timeout: 0.05)
            try await Task.sleep(nanoseconds: 5_000_000)
            clock.advance(by: 0.1)
        }
        let outcome = await run.value
        XCTAssertEqual(outcome.result.exitCode, 0)
        var inFlight: Set<String> = []
        var most = 0
        for event in outcome.events {
            switch event.body {
            case .assetStarted(let symbol): inFlight.insert(symbol)
            case .assetMarked(let mark): inFlight.remove(mark.symbol)
            default: break
            }
            most = max(most, inFlight.count)
        }
        XCTAssertGreaterThan(most, 2, "more assets than the window while batches slept")
        XCTAssertLessThanOrEqual(most, 8, "but never more than four windows")
    }

    func testTheWatcherReadsNewCapacityPeriodicallyAndWhenAThrottleAsksForIt() async throws {
        let db = ScriptedDynamoDB(tables: ["earnings": .provisioned(wcu: 100)], registered: [])
        let clock = ManualClock()
        let controller = WriteRateController(table: .earnings, capacity: TableCapacity(provisionedWCU: 100), clock: clock)
        let watcher = CapacityWatcher(client: db.client(), tables: [(.earnings, "earnings", controller)],
                                      retrying: Retrying(policy: RetryPolicy(), clock: clock, random: SeededRandom(seed: 1)),
                                      clock: clock, interval: 60)
        let task = Task { await watcher.run() }
        /// Moves the clock a second at a time (the watcher's step) until `condition` or `limit` seconds.
        func advance(until condition: () -> Bool, limit: Int) async -> Int {
            for second in 1...limit {
                // The watcher asleep again means it has done whatever this second asked of it.
                guard await clock.waitForSleepers(1, timeout: 5) else { return -1 }
                clock.advance(by: 1)
                guard await clock.waitForSleepers(1, timeout: 5) else { return -1 }
                if condition() { return second }
            }
            return -1
        }
        db.setMode(.provisioned(wcu: 400), for: "earnings")
        let raisedAfter = await advance(until: { controller.allowedRate == 400 }, limit: 70)
        XCTAssertEqual(raisedAfter, 60, "auto scaling raised the WCU: the next periodic describe, at 60 s, uses it")

        // A provisioned table granting far less than its WCU asks for a describe within seconds.
        db.setMode(.provisioned(wcu: 50), for: "earnings")
        for _ in 0..<5 {
            let ticket = try await controller.acquire(Array(repeating: 1, count: 10))
            controller.record(ticket, consumedUnits: 10, writtenUnits: 10, pushedBack: false)
        }
        let ticket = try await controller.acquire([1])
        controller.record(ticket, consumedUnits: 0, writtenUnits: 0, pushedBack: true,
                          reason: ThrottlingReason(reason: "TableWriteProvisionedThroughputExceeded"))
        let loweredAfter = await advance(until: { controller.ceiling == 50 }, limit: 30)
        task.cancel()
        clock.advance(by: 1)
        _ = await task.value
        XCTAssertGreaterThan(loweredAfter, 0, "the lowered WCU was read")
        XCTAssertLessThanOrEqual(loweredAfter, 5, "within seconds, well before the next periodic describe")
    }
}

extension EngineEvent {
    var rateChange: RateChange? { if case .rateChanged(let value) = body { return value }; return nil }
}
