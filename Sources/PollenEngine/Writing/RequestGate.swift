import Synchronization

/// Limits how many requests are in flight at once (`--concurrency`), first come first served.
public final class RequestGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Waits for a free slot; throws `CancellationError` if the task is cancelled while waiting.
    public func acquire() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // Checked under the lock that the cancellation handler also takes: a cancel
                // that came first is seen here, one that comes later finds the waiter queued.
                let outcome = state.withLock { state -> Bool? in
                    if Task.isCancelled { return nil }
                    if state.available > 0 && state.waiters.isEmpty {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                switch outcome {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: continuation.resume()
                case false?: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// How many callers wait for a slot now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Whether a slot is free and nobody waits for one.
    var isFree: Bool { state.withLock { $0.available > 0 && $0.waiters.isEmpty } }

    /// Frees a slot, handing it to the longest waiter if there is one.
    public func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Error>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }

    /// Runs `body` holding a slot.
    public func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }
}
