import PollenTestSupport
import XCTest
@testable import PollenEngine

/// Pause, resume, drain and abort, and what a waiting batch sees.
final class RunControlTests: XCTestCase {
    func observed(_ control: RunControl) -> Locked<[RunState]> {
        let states = Locked<[RunState]>([])
        control.observe { state in states.update { $0.append(state) } }
        return states
    }

    /// Starts a task blocked in `waitWhilePaused` and returns a flag set when it returns.
    func waiter(_ control: RunControl) -> (Task<Void, Never>, Locked<Bool>) {
        let returned = Locked(false)
        let task = Task.detached {
            await control.waitWhilePaused()
            returned.set(true)
        }
        return (task, returned)
    }

    func testInitialState() async {
        let control = RunControl()
        XCTAssertFalse(control.isPaused)
        XCTAssertFalse(control.isDraining)
        XCTAssertNil(control.fatalError)
        XCTAssertTrue(control.acceptsWork)
        await control.waitWhilePaused()  // returns at once
    }

    func testPauseBlocksUntilResume() async throws {
        let control = RunControl()
        let states = observed(control)
        control.pause()
        control.pause()  // no change, no second notice
        XCTAssertTrue(control.isPaused)
        XCTAssertTrue(control.acceptsWork, "paused is not stopped")
        let (task, returned) = waiter(control)
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertFalse(returned.value, "waitWhilePaused blocks while paused")
        control.resume()
        await task.value
        XCTAssertTrue(returned.value)
        XCTAssertFalse(control.isPaused)
        control.togglePause()
        XCTAssertTrue(control.isPaused)
        control.togglePause()
        XCTAssertFalse(control.isPaused)
        XCTAssertEqual(states.value, [.paused, .running, .paused, .running])
    }

    func testDrainReleasesPausedWaitersAndStopsNewWork() async throws {
        let control = RunControl()
        let states = observed(control)
        control.pause()
        let (first, firstReturned) = waiter(control)
        let (second, secondReturned) = waiter(control)
        try await Task.sleep(nanoseconds: 30_000_000)
        XCTAssertFalse(firstReturned.value || secondReturned.value)
        control.drain()
        await first.value
        await second.value
        XCTAssertTrue(control.isDraining)
        XCTAssertFalse(control.acceptsWork)
        // Pausing after a drain changes nothing, and waiting returns at once.
        control.resume()
        control.pause()
        await control.waitWhilePaused()
        XCTAssertEqual(states.value, [.paused, .draining])
    }

    func testDrainIsAnnouncedBeforeAnyWaiterResumesAndNothingAfterFinish() async throws {
        let control = RunControl()
        let states = observed(control)
        control.pause()
        let seenOnWaking = Locked<[RunState]>([])
        let blocked = Task.detached {
            await control.waitWhilePaused()
            seenOnWaking.set(states.value)
        }
        try await Task.sleep(nanoseconds: 30_000_000)  // let it block (if not, it finds the drain at once)
        control.drain()
        await blocked.value
        XCTAssertEqual(seenOnWaking.value.last, .draining, "a batch woken by the drain finds it announced")
        control.finish { states.update { $0.append(.done) } }
        control.finish { states.update { $0.append(.done) } }  // once only
        control.resume()
        control.drain()
        XCTAssertEqual(states.value, [.paused, .draining, .done], "done is last, and announced once")
    }

    func testNothingIsAnnouncedAfterTheRunFinished() {
        let control = RunControl()
        let states = observed(control)
        control.finish { states.update { $0.append(.done) } }
        control.drain()
        XCTAssertTrue(control.isDraining, "the drain still takes effect")
        XCTAssertEqual(states.value, [.done])
    }

    func testAbortReleasesWaitersAndKeepsTheFirstReason() async throws {
        let control = RunControl()
        control.pause()
        let (task, returned) = waiter(control)
        try await Task.sleep(nanoseconds: 30_000_000)
        XCTAssertFalse(returned.value)
        control.abort("bad credentials")
        await task.value
        XCTAssertEqual(control.fatalError, "bad credentials")
        XCTAssertFalse(control.acceptsWork)
        control.abort("something later")
        XCTAssertEqual(control.fatalError, "bad credentials", "the first fatal reason is the one reported")
        await control.waitWhilePaused()  // still paused, but aborted: returns at once
        XCTAssertTrue(control.isPaused)
    }
}
