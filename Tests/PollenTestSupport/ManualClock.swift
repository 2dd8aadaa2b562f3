import Foundation
import PollenEngine
import Synchronization

/// A clock that stands still until the test moves it: `sleep` suspends until `advance(by:)`
/// passes its deadline (or the sleeping task is cancelled). Lets a test hold tasks in a wait
/// (a rate limiter's queue, a backoff) and release them step by step; `sleepers` says how many
/// are waiting right now.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Double
        var continuation: CheckedContinuation<Void, Error>
    }

    private struct State {
        var now: Double
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>
    private let epoch: Date

    public init(start: Double = 0, epoch: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
        self.epoch = epoch
    }

    public func now() -> Double { state.withLock { $0.now } }

    public func date() -> Date { epoch.addingTimeInterval(now()) }

    /// The number of tasks sleeping now.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        guard seconds > 0 else { return }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if state.cancelled.remove(id) != nil { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: state.now + seconds, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)  // not asleep yet: it will see this and not sleep
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by seconds: Double) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now += seconds
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now + 1e-12 }
            state.sleepers.removeAll { $0.deadline <= now + 1e-12 }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Waits (in real time, up to `timeout` seconds) until at least `count` tasks sleep.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, timeout: Double = 5) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while sleepers < count {
            if Date() > deadline { return false }
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        return true
    }
}
