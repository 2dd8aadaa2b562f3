import CNcurses
import Glibc
import Synchronization

/// Whether ncurses owns the terminal right now. `restore()` and the signal handlers race for
/// it; whoever takes it ends curses, so that happens exactly once.
private let cursesActive = Atomic<Bool>(false)

/// The dispositions in force before the console started, by signal number, for the handlers
/// to hand the signal on to. A plain C array: the handlers may only read memory, not Swift
/// collections. Written before the handlers are installed, read only by them afterwards.
nonisolated(unsafe) private let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))

/// Gives the terminal back however the process ends, then lets the signal take its course.
///
/// - SIGSEGV and SIGABRT: always; the terminal is restored, then the handler that was there
///   before (the Swift runtime's backtracer, or the default) runs, on a readable screen.
/// - SIGTERM and SIGHUP: when nobody handles them yet; the terminal is restored and the
///   signal re-raised with its default action. A host that handles them itself (to drain the
///   run first) keeps them.
/// - SIGINT stays the host's (Ctrl-C drains the run): ncurses may claim it when it starts,
///   so its disposition is put back as it was.
///
/// One terminal at a time.
final class TerminalSignals {
    static let crashing: [Int32] = [SIGSEGV, SIGABRT]
    static let terminating: [Int32] = [SIGTERM, SIGHUP]
    private static let all = crashing + terminating + [SIGINT]

    /// Records the dispositions before ncurses starts (it installs its own for some signals).
    init() {
        for number in Self.all { sigaction(number, nil, previousActions + Int(number)) }
    }

    /// After ncurses started: marks the terminal as taken and installs the handlers.
    func install() {
        cursesActive.store(true, ordering: .releasing)
        sigaction(SIGINT, previousActions + Int(SIGINT), nil)
        for number in Self.terminating {
            let previous = previousActions[Int(number)]
            let isDefault = previous.__sigaction_handler.sa_handler == nil && previous.sa_flags & SA_SIGINFO == 0
            if isDefault {
                installHandler(for: number)
            } else {
                sigaction(number, previousActions + Int(number), nil)
            }
        }
        for number in Self.crashing { installHandler(for: number) }
    }

    /// Puts every disposition back as it was before ncurses started.
    func uninstall() {
        for number in Self.all { sigaction(number, previousActions + Int(number), nil) }
    }

    /// Shows the cursor and ends curses, if nobody has yet; returns whether this call did.
    @discardableResult
    static func endCurses() -> Bool {
        guard cursesActive.exchange(false, ordering: .acquiringAndReleasing) else { return false }
        curs_set(1)
        endwin()
        return true
    }

    private func installHandler(for number: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            TerminalSignals.endCurses()
            sigaction(number, previousActions + Int(number), nil)
            raise(number)  // delivered to the previous disposition once this handler returns
        }
        sigemptyset(&action.sa_mask)
        sigaction(number, &action, nil)
    }
}
