import Synchronization

/// The operator's hand on a running backfill: pause and resume, drain (stop taking new
/// batches after Ctrl-C), and abort on a fatal error.
///
/// Batches check it before each send; in-flight requests always finish. Every change of
/// state is announced before any batch waiting on it resumes, and nothing is announced
/// after ``finish(_:)``, so observers see `draining` before the run's last batch ends and
/// `done` last of all.
public final class RunControl: Sendable {
    private struct State {
        var paused = false
        var draining = false
        var fatalError: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The observer and whether the run has finished; held while announcing, so
    /// announcements reach the observer in the order the changes happened.
    private struct Announcer {
        var handler: (@Sendable (RunState) -> Void)?
        var finished = false
    }

    private let state = Mutex(State())
    private let announcer = Mutex(Announcer())

    public init() {}

    /// Called with the new state whenever pause, resume or drain changes it.
    public func observe(_ handler: @escaping @Sendable (RunState) -> Void) {
        announcer.withLock { $0.handler = handler }
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
        announcer.withLock { announcer in
            let (changed, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                guard !state.draining else { return (false, []) }
                state.draining = true
                defer { state.waiters.removeAll() }
                return (true, state.waiters)
            }
            if changed, !announcer.finished { announcer.handler?(.draining) }
            waiters.forEach { $0.resume() }
        }
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

    /// Announces the run's end through `announce` (called once, with the lock that orders
    /// announcements held); after it, pause, resume and drain are no longer announced.
    public func finish(_ announce: () -> Void) {
        announcer.withLock { announcer in
            guard !announcer.finished else { return }
            announcer.finished = true
            announce()
        }
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
        announcer.withLock { announcer in
            let (changed, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                guard state.paused != paused, !state.draining else { return (false, []) }
                state.paused = paused
                if paused { return (true, []) }
                defer { state.waiters.removeAll() }
                return (true, state.waiters)
            }
            if changed, !announcer.finished { announcer.handler?(paused ? .paused : .running) }
            waiters.forEach { $0.resume() }
        }
    }
}
