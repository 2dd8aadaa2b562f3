import Foundation
import PollenTestSupport
import Synchronization
import XCTest
@testable import PollenEngine

/// `InstantClock` with a real clock's resolution: every sleep lets at least a microsecond pass.
/// On a bare `InstantClock` a wait shorter than the resolution of `now()` never ends (see
/// `reproduceSubResolutionWaitNeverEnds`); `SystemClock` always moves on.
final class ResolvedInstantClock: EngineClock {
    let base: InstantClock

    init(start: Double = 0) {
        base = InstantClock(start: start)
    }

    func now() -> Double { base.now() }
    func date() -> Date { base.date() }
    func sleep(seconds: Double) async throws { try await base.sleep(seconds: max(seconds, 1e-6)) }
    func advance(by seconds: Double) { base.advance(by: seconds) }
    var sleeps: [Double] { base.sleeps }
}

/// The per-table token bucket and its AIMD control loop, on a clock that only moves when told.
final class WriteRateControllerTests: XCTestCase {
    /// Collects `onChange` calls.
    final class Changes: Sendable {
        private let list = Mutex<[(rate: Double?, reason: String)]>([])
        var all: [(rate: Double?, reason: String)] { list.withLock { $0 } }
        func record(_ rate: Double?, _ reason: String) { list.withLock { $0.append((rate, reason)) } }
    }

    func controller(wcu: Int?, cap: WriteRateController.Cap = .init(), clock: any EngineClock,
                    changes: Changes? = nil) -> WriteRateController {
        WriteRateController(table: .earnings, provisionedWCU: wcu, cap: cap, clock: clock) { rate, reason in
            changes?.record(rate, reason)
        }
    }

    // MARK: Ceiling

    func testStartsAtTheCeiling() {
        let clock = ResolvedInstantClock()
        XCTAssertEqual(controller(wcu: 100, clock: clock).allowedRate, 100)
        XCTAssertEqual(controller(wcu: 100, cap: .init(capacityPercent: 50), clock: clock).allowedRate, 50)
        XCTAssertEqual(controller(wcu: 100, cap: .init(maxUnitsPerSecond: 30), clock: clock).allowedRate, 30)
        XCTAssertEqual(controller(wcu: 100, cap: .init(capacityPercent: 80, maxUnitsPerSecond: 200), clock: clock).allowedRate, 80)
        XCTAssertEqual(controller(wcu: nil, cap: .init(maxUnitsPerSecond: 40), clock: clock).allowedRate, 40)
        XCTAssertEqual(controller(wcu: nil, cap: .init(capacityPercent: 50, maxUnitsPerSecond: 40), clock: clock).ceiling, 40)
        XCTAssertNil(controller(wcu: nil, clock: clock).allowedRate, "on-demand without a cap: unlimited")
        XCTAssertNil(controller(wcu: nil, cap: .init(capacityPercent: 10), clock: clock).ceiling)
        XCTAssertEqual(WriteRateController.ceiling(provisionedWCU: 1, cap: .init(capacityPercent: 10)), 1, "at least 1 unit/s")
        XCTAssertEqual(WriteRateController.ceiling(provisionedWCU: 1000, cap: .init(capacityPercent: 25)), 250)
    }

    func testUnlimitedAcquireNeverWaits() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(wcu: nil, clock: clock)
        for _ in 0..<200 { try await rate.acquire(units: 25) }
        XCTAssertEqual(clock.sleeps, [])
        XCTAssertEqual(clock.now(), 0)
    }

    // MARK: Pacing

    func testBatchesArePacedAtTheAllowedRate() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(wcu: 50, clock: clock)
        var times: [Double] = []
        for _ in 0..<20 {
            try await rate.acquire(units: 25)
            times.append(clock.now())
        }
        XCTAssertEqual(times[0], 0, "the first batch goes at once")
        XCTAssertEqual(clock.now(), 19 * 0.5, accuracy: 19 * 0.5 * 0.1)
        for (earlier, later) in zip(times, times.dropFirst()) {
            XCTAssertEqual(later - earlier, 0.5, accuracy: 0.02)
        }
        XCTAssertTrue(clock.sleeps.allSatisfy { $0 <= 0.1 + 1e-9 }, "waits in slices so a new rate applies promptly")
    }

    func testNoOneSecondWindowHoldsMoreThanTheRate() async throws {
        // 50-unit batches at 320 units/s: the bucket alone would send 7 of them (350 units) in
        // some seconds, pushing a table shared with production traffic over its capacity.
        for (cap, perSecond) in [(80.0, 6), (100.0, 8)] {
            let clock = ResolvedInstantClock()
            let rate = controller(wcu: 400, cap: .init(capacityPercent: cap), clock: clock)
            let limit = 400 * cap / 100
            var times: [Double] = []
            for _ in 0..<60 {
                try await rate.acquire(units: 50)
                times.append(clock.now())
            }
            for (index, time) in times.enumerated() {
                let inWindow = times[...index].filter { $0 > time - 1 }.count * 50
                XCTAssertLessThanOrEqual(Double(inWindow), limit, "cap \(cap) %: window ending at \(time)")
            }
            let achieved = Double(times.count - 1) * 50 / times[times.count - 1]
            XCTAssertGreaterThanOrEqual(achieved, Double(perSecond * 50) * 0.97,
                                        "cap \(cap) %: whole batches per second still go (\(achieved) units/s)")
        }
    }

    func testABatchLargerThanTheRateStillGoes() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(wcu: 5, clock: clock)
        try await rate.acquire(units: 25)
        XCTAssertEqual(clock.now(), 0)
        try await rate.acquire(units: 25)
        XCTAssertEqual(clock.now(), 5, accuracy: 0.05, "the second waits until the debt of 25 units at 5/s is paid")
    }

    func testQueuedAcquirersAreServedFirstComeFirstServed() async throws {
        let clock = ManualClock()
        let rate = controller(wcu: 50, clock: clock)
        try await rate.acquire(units: 25)  // goes at once, leaves the bucket 25 units in debt
        let order = Locked<[String]>([])
        let times = Locked<[Double]>([])
        var tasks: [Task<Void, Error>] = []
        for (name, units) in [("B", 25), ("C", 25), ("D", 1)] {
            let queued = Locked(false)
            tasks.append(Task.detached {
                queued.set(true)
                try await rate.acquire(units: units)
                times.update { $0.append(clock.now()) }
                order.update { $0.append(name) }
            })
            while !queued.value { await Task.yield() }
            if name == "B" {
                let sleeping = await clock.waitForSleepers(1)
                XCTAssertTrue(sleeping, "B waits on the bucket")
            } else {
                try await Task.sleep(nanoseconds: 20_000_000)  // let it reach the queue
            }
        }
        XCTAssertTrue(order.value.isEmpty)
        var steps = 0
        while order.value.count < 3 && steps < 40 {
            await eventually(timeout: 2) { clock.sleepers > 0 || order.value.count == 3 }
            clock.advance(by: 0.1)
            steps += 1
        }
        if order.value.count < 3 { tasks.forEach { $0.cancel() } }  // fail, do not hang
        for task in tasks { _ = await task.result }
        XCTAssertEqual(order.value, ["B", "C", "D"], "the 1-unit request does not jump the queue")
        let served = times.value
        guard served.count == 3 else { return XCTFail("served: \(order.value)") }
        XCTAssertEqual(served[0], 0.5, accuracy: 0.11)
        XCTAssertEqual(served[1], 1.0, accuracy: 0.11)
        XCTAssertEqual(served[2], 1.5, accuracy: 0.11)
    }

    // MARK: Decrease

    func testPushBackCutsTheRateAtMostOncePerSecond() {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(wcu: 100, clock: clock, changes: changes)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 9.9)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9)
        clock.advance(by: 0.5)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 10.2)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9, "a second cut within a second is ignored")
        clock.advance(by: 1)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 9.95)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9, "an answer to a request sent before the cut says nothing")
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 10.4)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 64, accuracy: 1e-9)
        XCTAssertEqual(changes.all.map(\.reason), ["pushed back", "pushed back"])
        XCTAssertEqual(changes.all.compactMap(\.rate), [80, 64])
    }

    func testNeverBelowTheMinimumRate() {
        let clock = ResolvedInstantClock(start: 10)
        let rate = controller(wcu: 2, clock: clock)
        var rates: [Double] = []
        for _ in 0..<6 {
            rate.record(consumedUnits: 0, pushedBack: true, sentAt: clock.now())
            rates.append(rate.allowedRate ?? -1)
            clock.advance(by: 1.5)
        }
        XCTAssertEqual(rates[0], 1.6, accuracy: 1e-9)
        XCTAssertEqual(rates[1], 1.28, accuracy: 1e-9)
        XCTAssertEqual(rates[2], 1.024, accuracy: 1e-9)
        XCTAssertEqual(Array(rates[3...]), [1, 1, 1])
    }

    // MARK: Increase

    func testAdditiveIncreaseOnlyWhileBatchesWaitOnTheBucket() async throws {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(wcu: 100, clock: clock, changes: changes)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 10)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9)

        // Clean answers while demand is below the rate: nothing to gain by raising it.
        clock.advance(by: 3)
        rate.record(consumedUnits: 10, pushedBack: false, sentAt: 12.9)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9)

        // Now a batch has to wait on the bucket: the rate limits writes, so it rises.
        try await rate.acquire(units: 25)  // uses the burst, goes into debt
        try await rate.acquire(units: 25)  // waits until the debt is paid
        let waited = clock.now() - 13
        XCTAssertEqual(waited, 17.0 / 80, accuracy: 0.01)
        rate.record(consumedUnits: 25, pushedBack: false, sentAt: clock.now())
        // In proportion to the time since the last step: 5% of the ceiling per second.
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80 + 100 * 0.05 * waited, accuracy: 1e-6)
        let afterFirstStep = try XCTUnwrap(rate.allowedRate)
        // Many answers at the same instant do not ramp faster.
        for _ in 0..<10 { rate.record(consumedUnits: 25, pushedBack: false, sentAt: clock.now()) }
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), afterFirstStep, accuracy: 1e-9)
        // One more second, still within 2 s of the last wait: +5 units/s.
        clock.advance(by: 1)
        rate.record(consumedUnits: 25, pushedBack: false, sentAt: clock.now())
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), afterFirstStep + 5, accuracy: 1e-6)
        // Demand stops: no more rises.
        clock.advance(by: 3)
        rate.record(consumedUnits: 25, pushedBack: false, sentAt: clock.now())
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), afterFirstStep + 5, accuracy: 1e-6)
        XCTAssertEqual(changes.all.map(\.reason), ["pushed back", "headroom", "headroom"])
    }

    func testNeverAboveTheCeiling() async throws {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(wcu: 100, clock: clock, changes: changes)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 10)
        for _ in 0..<40 {
            try await rate.acquire(units: 50)
            rate.record(consumedUnits: 50, pushedBack: false, sentAt: clock.now())
            XCTAssertLessThanOrEqual(try XCTUnwrap(rate.allowedRate), 100)
        }
        XCTAssertEqual(rate.allowedRate, 100)
        XCTAssertEqual(changes.all.last?.rate, 100, "reaching the ceiling is announced")
        XCTAssertTrue(changes.all.allSatisfy { ($0.rate ?? 0) <= 100 })
    }

    func testUnknownCeilingStartsFromWhatWasGranted() async throws {
        let clock = ResolvedInstantClock(start: 5.5)
        let changes = Changes()
        let rate = controller(wcu: nil, clock: clock, changes: changes)
        rate.record(consumedUnits: 100, pushedBack: false, sentAt: 5.4)
        XCTAssertNil(rate.allowedRate, "clean answers leave an unlimited table unlimited")
        clock.advance(by: 0.1)
        rate.record(consumedUnits: 0, pushedBack: true, sentAt: 5.5)
        XCTAssertEqual(try XCTUnwrap(rate.allowedRate), 80, accuracy: 1e-9, "80% of the 100 units granted this second")
        XCTAssertEqual(changes.all.count, 1)
        XCTAssertEqual(changes.all.first?.reason, "pushed back")

        // With little granted, the estimate starts from the floor.
        let quiet = controller(wcu: nil, clock: ResolvedInstantClock(start: 3))
        quiet.record(consumedUnits: 1, pushedBack: true, sentAt: 3)
        XCTAssertEqual(try XCTUnwrap(quiet.allowedRate), 8, accuracy: 1e-9)

        // Without a ceiling the rate then rises by 10% of itself per second while batches wait.
        try await rate.acquire(units: 10)
        try await rate.acquire(units: 50)
        let before = try XCTUnwrap(rate.allowedRate)
        clock.advance(by: 1)
        rate.record(consumedUnits: 50, pushedBack: false, sentAt: clock.now())
        XCTAssertGreaterThan(try XCTUnwrap(rate.allowedRate), before)
        XCTAssertNil(rate.ceiling)
    }

    /// Regression: on a bare `InstantClock`, paying a 25-unit debt at 50 units/s in 0.1 s slices
    /// left floating-point residue in the bucket (about -3.6e-15 units); the wait computed from it
    /// was below the clock's resolution, so `acquire` looped forever.
    func testSubResolutionWaitEnds() async throws {
        let clock = InstantClock()
        let rate = controller(wcu: 50, clock: clock)
        let finished = Locked(false)
        let task = Task.detached {
            for _ in 0..<3 { try await rate.acquire(units: 25) }
            finished.set(true)
        }
        let ended = await eventually(timeout: 5) { finished.value }
        task.cancel()
        XCTAssertTrue(ended, "3 acquires of 25 units at 50/s should take 1 s of clock time; clock is at \(clock.now()) "
                      + "after \(clock.sleeps.count) sleeps, the last ones \(clock.sleeps.suffix(3))")
    }

    // MARK: Operator cap

    func testSetCapLowersAtOnceAndRaisesTheCeiling() async throws {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(wcu: 100, clock: clock, changes: changes)
        rate.setCap(.init(capacityPercent: 50))
        XCTAssertEqual(rate.allowedRate, 50)
        XCTAssertEqual(rate.ceiling, 50)
        XCTAssertEqual(rate.cap, .init(capacityPercent: 50))
        XCTAssertEqual(changes.all.last?.reason, "operator cap")
        XCTAssertEqual(changes.all.last?.rate, 50)

        rate.setCap(.init(capacityPercent: 100))
        XCTAssertEqual(rate.ceiling, 100)
        XCTAssertEqual(rate.allowedRate, 50, "a higher ceiling is reached by the ramp, not at once")
        for _ in 0..<60 {
            try await rate.acquire(units: 50)
            rate.record(consumedUnits: 50, pushedBack: false, sentAt: clock.now())
        }
        XCTAssertEqual(rate.allowedRate, 100, "the ramp goes past the old ceiling up to the new one")

        rate.setCap(.init(maxUnitsPerSecond: 20))
        XCTAssertEqual(rate.allowedRate, 20)

        let onDemand = controller(wcu: nil, clock: clock)
        onDemand.setCap(.init(maxUnitsPerSecond: 40))
        XCTAssertEqual(onDemand.allowedRate, 40)
        onDemand.setCap(.init())
        XCTAssertNil(onDemand.allowedRate, "removing the cap of an on-demand table makes it unlimited again")
    }

    func testANewRateAppliesToABatchAlreadyWaiting() async throws {
        let clock = ManualClock()
        let rate = controller(wcu: 10, clock: clock)
        try await rate.acquire(units: 100)  // 10 s of debt at 10 units/s
        let done = Locked(false)
        let waiter = Task.detached {
            try await rate.acquire(units: 1)
            done.set(true)
        }
        let sleeping = await clock.waitForSleepers(1)
        XCTAssertTrue(sleeping)
        rate.setCap(.init(maxUnitsPerSecond: 1))  // lowering makes the debt take longer
        var elapsedSteps = 0
        while !done.value && elapsedSteps < 500 {
            guard await clock.waitForSleepers(1, timeout: 2) || done.value else { break }
            clock.advance(by: 1)
            elapsedSteps += 1
        }
        if !done.value { waiter.cancel() }  // fail, do not hang
        _ = await waiter.result
        XCTAssertTrue(done.value)
        XCTAssertGreaterThan(clock.now(), 50, "paid off at the lower rate, not in 10 s")
    }
}
