import PollenTestSupport
import XCTest
@testable import PollenEngine

/// `--concurrency`: at most `limit` holders, first come first served, cancellable waits.
final class RequestGateTests: XCTestCase {
    func testTheLimitHoldsUnderManyConcurrentTasks() async throws {
        let gate = RequestGate(limit: 4)
        let counters = Locked((current: 0, maximum: 0, done: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try? await gate.withSlot {
                        counters.update { $0.current += 1; $0.maximum = max($0.maximum, $0.current) }
                        try await Task.sleep(nanoseconds: 2_000_000)
                        counters.update { $0.current -= 1; $0.done += 1 }
                    }
                }
            }
        }
        XCTAssertEqual(counters.value.done, 50)
        XCTAssertEqual(counters.value.current, 0)
        XCTAssertLessThanOrEqual(counters.value.maximum, 4)
        XCTAssertGreaterThanOrEqual(counters.value.maximum, 2, "holders do overlap")
    }

    func testWaitersAreServedInArrivalOrder() async throws {
        let gate = RequestGate(limit: 1)
        try await gate.acquire()
        let order = Locked<[Int]>([])
        var tasks: [Task<Void, Error>] = []
        for index in 0..<8 {
            let arrived = Locked(false)
            tasks.append(Task.detached {
                arrived.set(true)
                try await gate.acquire()
                order.update { $0.append(index) }
                gate.release()
            })
            await eventually { arrived.value }
            try await Task.sleep(nanoseconds: 10_000_000)  // let it reach the queue
        }
        XCTAssertEqual(order.value, [], "nobody passes while the slot is held")
        gate.release()
        if !(await eventually(timeout: 5) { order.value.count == 8 }) { tasks.forEach { $0.cancel() } }  // fail, do not hang
        for task in tasks { _ = await task.result }
        XCTAssertEqual(order.value, Array(0..<8))
    }

    func testCancellingAWaiterThrowsAndLeaksNoSlot() async throws {
        let gate = RequestGate(limit: 1)
        try await gate.acquire()
        let arrived = Locked(false)
        let waiter = Task.detached {
            arrived.set(true)
            try await gate.acquire()
        }
        await eventually { arrived.value }
        try await Task.sleep(nanoseconds: 20_000_000)
        waiter.cancel()
        do {
            try await waiter.value
            XCTFail("a cancelled waiter must not get the slot")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        gate.release()
        // Exactly one slot is left: one acquire passes, a second waits until it is released.
        try await gate.acquire()
        let second = Locked(false)
        let next = Task.detached {
            try await gate.acquire()
            second.set(true)
            gate.release()
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertFalse(second.value, "the cancelled waiter left no extra slot behind")
        gate.release()
        try await next.value
        XCTAssertTrue(second.value)
    }

    func testWithSlotReleasesWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let gate = RequestGate(limit: 1)
        do {
            try await gate.withSlot { throw Boom() }
            XCTFail("expected the body's error")
        } catch is Boom {}
        let value = try await gate.withSlot { 42 }
        XCTAssertEqual(value, 42, "the slot came back after the throw")
    }

    func testALimitBelowOneStillLetsOneThrough() async throws {
        let gate = RequestGate(limit: 0)
        try await gate.acquire()
        gate.release()
    }

    /// Regression: a task already cancelled when it calls `acquire` on a full gate was queued
    /// anyway (the cancellation handler ran before the waiter existed) and later got the slot.
    func testAnAlreadyCancelledTaskIsRefused() async throws {
        let gate = RequestGate(limit: 1)
        try await gate.acquire()
        let outcome = Locked<String?>(nil)
        let task = Task.detached {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await gate.acquire()
                outcome.set("acquired")
            } catch {
                outcome.set("threw \(type(of: error))")
            }
        }
        let settled = await eventually(timeout: 1) { outcome.value != nil }
        XCTAssertTrue(settled, "a cancelled task should be refused at once, not queued")
        gate.release()
        await task.value
        XCTAssertEqual(outcome.value, "threw CancellationError")
    }
}
