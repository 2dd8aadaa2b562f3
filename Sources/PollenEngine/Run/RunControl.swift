import Synchronization

/// The operator's hand on a running backfill: pause and resume, drain (stop taking new
/// batches after Ctrl-C), and abort on a fatal error.
///
/// Batches check it before each send; in-flight requests always finish.
public final class RunControl: Sendable {
    private struct State {
        var paused = false
        var draining = false
        var fatalError: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let onStateChange: Mutex<(@Sendable (RunState) -> Void)?> = Mutex(nil)

    public init() {}

    /// Called with the new state whenever pause, resume or drain changes it.
    public func observe(_ handler: @escaping @Sendable (RunState) -> Void) {
        onStateChange.withLock { $0 = handler }
    }

    public var isPaused: Bool { state.withLock { $0.paused } }
    public var isDraining: Bool { state.withLock { $0.draining } }
    public var fatalError: String? { state.withLock { $0.fatalError } }

    /// Whether new batches may start.
    public var acceptsWork: Bool { state.withLock { !$0.draining && $0.fatalError == nil } }

    public func pause() { setPaused(true) }
    public func resume() { setPaused(false) }

    public func togglePause() { setPaused(!isPaused) }

    /// Stops taking new batches; what is in flight finishes and is journaled.
    public func drain() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.draining = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
        notify(.draining)
    }

    /// Stops the run because nothing further can succeed (bad credentials, journal lost).
    public func abort(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.fatalError == nil { state.fatalError = reason }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when the run is not paused (or is draining or aborted).
    public func waitWhilePaused() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state -> Bool in
                if !state.paused || state.draining || state.fatalError != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    private func setPaused(_ paused: Bool) {
        let (changed, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            guard state.paused != paused, !state.draining else { return (false, []) }
            state.paused = paused
            if paused { return (true, []) }
            defer { state.waiters.removeAll() }
            return (true, state.waiters)
        }
        waiters.forEach { $0.resume() }
        if changed { notify(paused ? .paused : .running) }
    }

    private func notify(_ runState: RunState) {
        onStateChange.withLock { $0 }?(runState)
    }
}
