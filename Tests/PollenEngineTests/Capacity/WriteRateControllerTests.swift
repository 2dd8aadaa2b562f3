import Foundation
import PollenDynamoDB
import PollenTestSupport
import Synchronization
import XCTest
@testable import PollenEngine

/// `InstantClock` with a real clock's resolution: every sleep lets at least a microsecond pass.
/// On a bare `InstantClock` a wait shorter than the resolution of `now()` never ends (see
/// `testSubResolutionWaitEnds`); `SystemClock` always moves on.
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

/// The controller around the bucket and the estimator: the queue, the charges corrected to
/// DynamoDB's counts, key-range throttles left to the key's pacer, the operator's cap and
/// new capacity announced, and the events it emits.
final class WriteRateControllerTests: XCTestCase {
    /// Collects `onChange` calls.
    final class Changes: Sendable {
        private let list = Mutex<[RateChange]>([])
        var all: [RateChange] { list.withLock { $0 } }
        func record(_ change: RateChange) { list.withLock { $0.append(change) } }
    }

    func controller(_ capacity: TableCapacity, cap: WriteRateController.Cap = .init(), clock: any EngineClock,
                    changes: Changes? = nil) -> WriteRateController {
        WriteRateController(table: .earnings, capacity: capacity, cap: cap, clock: clock) { changes?.record($0) }
    }

    func batch(_ units: Int) -> [Int] { Array(repeating: 1, count: units) }

    func testBatchesArePacedAtTheAllowedRate() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(.init(provisionedWCU: 50), clock: clock)
        var times: [Double] = []
        for _ in 0..<20 {
            let ticket = try await rate.acquire(batch(25))
            XCTAssertEqual(ticket.items, 25)
            times.append(clock.now())
        }
        XCTAssertEqual(times[0], 0, "the first batch goes at once")
        XCTAssertEqual(clock.now(), 19 * 0.5, accuracy: 1.1, "25 units at 50/s: two a second")
        XCTAssertTrue(clock.sleeps.allSatisfy { $0 <= 0.1 + 1e-9 }, "waits in slices so a new rate applies promptly")
    }

    func testTheTableIsIdleOnlyWithNothingWaitingOnTheRateAndNothingUnanswered() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(.init(provisionedWCU: 50), clock: clock)
        XCTAssertTrue(rate.isIdle, "nothing sent, nothing waiting")
        let sent = rate.sent(try await rate.acquire(batch(50)))
        XCTAssertFalse(rate.isIdle, "a request on its way")
        rate.record(sent, consumedUnits: 50, writtenUnits: 50, pushedBack: false)
        XCTAssertTrue(rate.isIdle, "answered, and nothing waited on the rate")
        let next = rate.sent(try await rate.acquire(batch(25)))  // waited for the next second
        rate.record(next, consumedUnits: 25, writtenUnits: 25, pushedBack: false)
        XCTAssertFalse(rate.isIdle, "a request waited on the rate a moment ago")
        clock.advance(by: WriteRateController.idleSeconds + 0.01)
        XCTAssertTrue(rate.isIdle, "and nothing has since")
    }

    /// Whether the table sets the run's pace (a sharing run then takes one asset at a time).
    func testTheRateHeldRequestsBackLatelyForASecondAfterAWait() async throws {
        let clock = ResolvedInstantClock()
        let rate = controller(.init(provisionedWCU: 50), clock: clock)
        _ = try await rate.acquire(batch(50))
        XCTAssertFalse(rate.heldRequestsBackLately, "sent at once")
        _ = try await rate.acquire(batch(25))  // waited for the next second
        XCTAssertTrue(rate.heldRequestsBackLately)
        clock.advance(by: 0.9)
        XCTAssertTrue(rate.heldRequestsBackLately)
        clock.advance(by: 0.2)
        XCTAssertFalse(rate.heldRequestsBackLately, "nothing has waited for a second")
    }

    func testQueuedAcquirersAreServedFirstComeFirstServed() async throws {
        let clock = ManualClock()
        let rate = controller(.init(provisionedWCU: 50), clock: clock)
        _ = try await rate.acquire(batch(50))  // the whole second's window
        let order = Locked<[String]>([])
        var tasks: [Task<Void, Error>] = []
        for (name, units) in [("B", 50), ("C", 50), ("D", 1)] {
            let queued = Locked(false)
            tasks.append(Task.detached {
                queued.set(true)
                _ = try await rate.acquire(Array(repeating: 1, count: units))
                order.update { $0.append(name) }
            })
            while !queued.value { await Task.yield() }
            if name == "B" {
                let sleeping = await clock.waitForSleepers(1)
                XCTAssertTrue(sleeping, "B waits on the rate")
            } else {
                let queuedBehindB = await eventually { rate.queuedAcquirers == (name == "C" ? 1 : 2) }
                XCTAssertTrue(queuedBehindB, "\(name) queues behind B")
            }
        }
        XCTAssertTrue(order.value.isEmpty)
        var steps = 0
        while order.value.count < 3 && steps < 60 {
            await eventually(timeout: 2) { clock.sleepers > 0 || order.value.count == 3 }
            clock.advance(by: 0.1)
            steps += 1
        }
        if order.value.count < 3 { tasks.forEach { $0.cancel() } }  // fail, do not hang
        for task in tasks { _ = await task.result }
        XCTAssertEqual(order.value, ["B", "C", "D"], "the 1-unit request does not jump the queue")
    }

    /// Regression: on a bare `InstantClock`, paying a 25-unit debt at 50 units/s in 0.1 s slices
    /// left floating-point residue in the bucket; the wait computed from it was below the
    /// clock's resolution, so `acquire` looped forever.
    func testSubResolutionWaitEnds() async throws {
        let clock = InstantClock()
        let rate = controller(.init(provisionedWCU: 50), clock: clock)
        let finished = Locked(false)
        let task = Task.detached {
            for _ in 0..<6 { _ = try await rate.acquire(Array(repeating: 1, count: 25)) }
            finished.set(true)
        }
        let ended = await eventually(timeout: 5) { finished.value }
        task.cancel()
        XCTAssertTrue(ended, "6 acquires of 25 units at 50/s take about 2 s of clock time; clock is at \(clock.now())")
    }

    func testChargesFollowDynamoDBsConsumedCapacity() async throws {
        // Pollen estimates 1 unit per item; DynamoDB charges 2 (say, items just over 1 KB by its count).
        let clock = ResolvedInstantClock()
        let rate = controller(.init(provisionedWCU: 100), clock: clock)
        for _ in 0..<20 {
            let ticket = try await rate.acquire(batch(25))
            rate.record(ticket, consumedUnits: Double(ticket.items) * 2, writtenUnits: ticket.items, pushedBack: false)
        }
        XCTAssertEqual(rate.unitScale, 2, accuracy: 0.05, "learned from ConsumedCapacity")
        let start = clock.now()
        for _ in 0..<8 {
            let ticket = try await rate.acquire(batch(25))
            rate.record(ticket, consumedUnits: Double(ticket.items) * 2, writtenUnits: ticket.items, pushedBack: false)
        }
        XCTAssertEqual(clock.now() - start, 8 * 50.0 / 100 - 1, accuracy: 1.1,
                       "paced by the 50 units each batch really costs, not the 25 estimated")
    }

    func testAKeyRangeThrottleNeitherCutsTheTableNorSpendsItsRate() async throws {
        let clock = ResolvedInstantClock()
        let changes = Changes()
        let rate = controller(.init(provisionedWCU: 100), clock: clock, changes: changes)
        let hot = ThrottlingReason(reason: "TableWriteKeyRangeThroughputExceeded")
        for _ in 0..<4 {
            let ticket = try await rate.acquire(batch(25))
            rate.record(ticket, consumedUnits: 0, writtenUnits: 0, pushedBack: true, reason: hot)
        }
        XCTAssertEqual(rate.allowedRate, 100)
        XCTAssertTrue(changes.all.isEmpty)
        XCTAssertEqual(clock.now(), 0, accuracy: 1e-3, "the refused units were given back: 100 more go at once")
        let table = ThrottlingReason(reason: "TableWriteProvisionedThroughputExceeded")
        clock.advance(by: 1.5)
        let ticket = try await rate.acquire(batch(25))
        rate.record(ticket, consumedUnits: 0, writtenUnits: 0, pushedBack: true, reason: table)
        XCTAssertLessThan(rate.allowedRate, 100, "a table throttle does cut it")
        XCTAssertEqual(changes.all.last?.reason, .pushedBack)
    }

    /// A grant is measured only if writes waited on the rate within the second it is measured
    /// over: a wait longer ago (the slow start) says nothing of batches asleep in backoff since.
    func testAPushBackLongAfterTheLastWaitOnTheRateMeasuresNothing() throws {
        for (sinceWait, measured) in [(0.5, true), (1.5, false)] {
            let clock = ManualClock(start: 0)
            let rate = controller(.init(), cap: .init(maxUnitsPerSecond: 100), clock: clock, changes: Changes())
            // Writes wait on the rate (12.5 units/s, the slow start under the cap): every other
            // request is refused until the bucket pays off the last one's debt.
            var last: WriteRateController.Ticket?
            for _ in 0..<12 {
                clock.advance(by: 0.1)
                guard case .success(let ticket) = rate.take(Array(repeating: 1, count: 5)) else { continue }
                if let last { rate.record(last, consumedUnits: 5, writtenUnits: 5, pushedBack: false) }
                last = ticket
            }
            XCTAssertEqual(rate.take(Array(repeating: 1, count: 5)).isFailure, true, "the writes wait on the rate")
            clock.advance(by: sinceWait)
            rate.record(try XCTUnwrap(last), consumedUnits: 0, writtenUnits: 0, pushedBack: true)
            XCTAssertEqual(rate.estimatedLimit != nil, measured, "\(sinceWait) s after the last wait")
        }
    }

    /// A push-back episode is measured once every request sent before its last refusal is
    /// answered; a request given up without an answer holds that back five seconds at most, and
    /// one the rate let go but that never left (held back while it waited for a request slot)
    /// not at all. A request's time is when it left, not when the rate let it go.
    func testARequestNeverAnsweredHoldsTheMeasureBackFiveSecondsAtMost() throws {
        for leaves in [true, false] {
            let clock = ManualClock(start: 0)
            let rate = controller(.init(), cap: .init(maxUnitsPerSecond: 100), clock: clock, changes: Changes())
            guard case .success(let lost) = rate.take([1]) else { return XCTFail("the first request goes at once") }
            if leaves {
                clock.advance(by: 0.02)
                XCTAssertEqual(rate.sent(lost).sentAt, 0.02, accuracy: 1e-9, "it left once it had a request slot")
            }
            var answered = 0
            var measuredAt: Double?
            while clock.now() < 8, measuredAt == nil {
                clock.advance(by: 0.05)
                guard case .success(let taken) = rate.take(Array(repeating: 1, count: 5)) else { continue }
                let ticket = rate.sent(taken)
                // DynamoDB refuses every other request: the table is out of capacity all along.
                answered += 1
                let refused = answered % 2 == 0
                rate.record(ticket, consumedUnits: refused ? 0 : 5, writtenUnits: refused ? 0 : 5, pushedBack: refused)
                if rate.estimatedLimit != nil { measuredAt = clock.now() }
            }
            let at = try XCTUnwrap(measuredAt, "measured (the request that left: once it is too old to count)")
            if leaves {
                XCTAssertGreaterThanOrEqual(at, 5, "not while the request that left may still be answered")
                XCTAssertLessThan(at, 6.5)
            } else {
                XCTAssertLessThan(at, 3, "a request that never left holds nothing back")
            }
        }
    }

    func testEventsCarryTheRateTheMeasuredLimitAndTheCeiling() async throws {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(.init(provisionedWCU: 400), clock: clock, changes: changes)
        XCTAssertEqual(rate.current(reason: .start),
                       RateChange(table: .earnings, unitsPerSecond: 400, reason: .start, estimatedLimit: nil, ceiling: 400))
        // More than a second's worth: the writes wait on the rate, so the push-back measures it.
        for _ in 0..<20 {
            let ticket = try await rate.acquire(batch(25))
            rate.record(ticket, consumedUnits: 25, writtenUnits: 25, pushedBack: false)
        }
        let ticket = try await rate.acquire(batch(25))
        rate.record(ticket, consumedUnits: 0, writtenUnits: 0, pushedBack: true)
        let cut = try XCTUnwrap(changes.all.last)
        XCTAssertEqual(cut.reason, .pushedBack)
        XCTAssertEqual(cut.ceiling, 400)
        XCTAssertNotNil(cut.estimatedLimit)
        XCTAssertEqual(cut.unitsPerSecond, rate.allowedRate)
        XCTAssertNil(cut.symbol)
    }

    func testOperatorCapAndNewCapacityApplyAtOnceAndAreAnnounced() async throws {
        let clock = ResolvedInstantClock(start: 10)
        let changes = Changes()
        let rate = controller(.init(provisionedWCU: 100), clock: clock, changes: changes)
        rate.setCap(.init(capacityPercent: 50))
        XCTAssertEqual(rate.allowedRate, 50)
        XCTAssertEqual(rate.ceiling, 50)
        XCTAssertEqual(changes.all.last?.reason, .operatorCap)
        rate.setCapacity(TableCapacity(provisionedWCU: 400))
        XCTAssertEqual(rate.allowedRate, 200, "half of the new capacity")
        XCTAssertEqual(changes.all.last, RateChange(table: .earnings, unitsPerSecond: 200, reason: .capacityChanged,
                                                    estimatedLimit: nil, ceiling: 200))
        rate.setCap(.init(maxUnitsPerSecond: 20))
        XCTAssertEqual(rate.allowedRate, 20)
    }

    func testANewRateAppliesToABatchAlreadyWaiting() async throws {
        let clock = ManualClock()
        let rate = controller(.init(provisionedWCU: 10), clock: clock)
        _ = try await rate.acquire([100])  // one 100-unit item: 10 s of debt at 10 units/s
        let done = Locked(false)
        let waiter = Task.detached {
            _ = try await rate.acquire([1])
            done.set(true)
        }
        let sleeping = await clock.waitForSleepers(1)
        XCTAssertTrue(sleeping)
        rate.setCap(.init(maxUnitsPerSecond: 1))  // lowering makes the debt take longer
        var steps = 0
        while !done.value && steps < 500 {
            guard await clock.waitForSleepers(1, timeout: 2) || done.value else { break }
            clock.advance(by: 1)
            steps += 1
        }
        if !done.value { waiter.cancel() }  // fail, do not hang
        _ = await waiter.result
        XCTAssertTrue(done.value)
        XCTAssertGreaterThan(clock.now(), 50, "paid off at the lower rate, not in 10 s")
    }

    /// `+` and `-`: ten points between 10% and 100%, halving below 10% down to 1%, the unit cap kept.
    func testTheCapStepsByTenPointsAndHalvesBelowTen() {
        func steps(from percent: Double, up: Bool, _ count: Int) -> [Double] {
            var cap = WriteRateController.Cap(capacityPercent: percent, maxUnitsPerSecond: 300)
            var seen: [Double] = []
            for _ in 0..<count {
                guard let next = cap.stepped(up: up) else { break }
                XCTAssertEqual(next.maxUnitsPerSecond, 300)
                seen.append(next.capacityPercent)
                cap = next
            }
            return seen
        }
        XCTAssertEqual(steps(from: 100, up: false, 12), [90, 80, 70, 60, 50, 40, 30, 20, 10, 5, 2.5, 1.25])
        XCTAssertEqual(steps(from: 1.25, up: false, 5), [1], "never below 1%")
        XCTAssertEqual(steps(from: 5, up: true, 20), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "never above 100%")
        XCTAssertEqual(steps(from: 15, up: true, 1), [20], "an odd cap joins the tens")
        XCTAssertEqual(steps(from: 15, up: false, 1), [10])
        XCTAssertTrue(WriteRateController.Cap.isValid(percent: 0.5))
        XCTAssertFalse(WriteRateController.Cap.isValid(percent: 0))
        XCTAssertFalse(WriteRateController.Cap.isValid(percent: 100.5))
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { return true }; return false }
}
