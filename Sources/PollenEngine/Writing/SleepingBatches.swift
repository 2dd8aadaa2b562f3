import Synchronization

/// Counts the batches asleep in backoff and wakes the engine when one falls asleep, so that it
/// can start another asset meanwhile: a table never sits idle because its queued batches sleep.
final class SleepingBatches: Sendable {
    private struct State {
        var sleeping = 0
        var pending = false
        var finished = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    /// How many batches sleep in backoff now.
    var count: Int { state.withLock { $0.sleeping } }

    /// Runs `body` (a backoff sleep) counted as asleep.
    func asleep<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.sleeping += 1
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: true)
        defer { state.withLock { $0.sleeping -= 1 } }
        return try await body()
    }

    /// Returns `true` once a batch has fallen asleep since the last call, `false` once finished.
    func nextSleeper() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = state.withLock { state -> Bool? in
                if state.pending {
                    state.pending = false
                    return true
                }
                if state.finished { return false }
                state.waiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends the waiting: `nextSleeper` returns `false` from now on.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }
}
