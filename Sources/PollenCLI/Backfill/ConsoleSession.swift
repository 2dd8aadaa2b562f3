import PollenConsole
import PollenEngine

/// The console host's state machine: what is running, whether the operator is leaving, every
/// attempt so far, and, for each thing that happens (a console command, a run ending, Ctrl-C,
/// the console closing, a re-run that could not start), what the host does next.
///
/// Pure, so that every path (quit while writing, Ctrl-C during a re-run, a re-run that throws)
/// is tested without a terminal or an engine.
struct ConsoleSession {
    /// What the host reacts to, from the console's thread, the engine and the signals.
    enum Happening: Sendable {
        case command(ConsoleCommand)
        case finished(BackfillEngine.Result)
        case interrupted
        case consoleClosed
        /// A re-run could not start (its report or source could not be read).
        case rerunFailed(String)
    }

    /// What the host does.
    enum Effect: Equatable, Sendable {
        case pause, resume, drain
        case setCap(WriteRateController.Cap)
        /// Start a re-run of what failed in the last attempt (`table` only, when given).
        case startRerun(table: PollenTable?)
        /// Ask the console to close (it restores the terminal as it does).
        case closeConsole
    }

    private(set) var history: AttemptHistory
    /// What the running attempt re-runs, for its name in the history.
    private var rerunLabel: String?
    private(set) var running = true
    /// The operator quit or pressed Ctrl-C: close once the run has ended.
    private var leaving = false
    private(set) var consoleOpen = true
    private var quitWhileRunning = false
    /// Why the session ended without a last attempt to report, if so.
    private(set) var failure: String?

    init(earlier: AttemptHistory, rerunLabel: String?) {
        history = earlier
        self.rerunLabel = rerunLabel
    }

    /// The host's loop ends: the console is closed and nothing runs.
    var isOver: Bool { !consoleOpen && !running }

    /// The process's exit code: the last attempt's, 130 when the operator quit while it wrote,
    /// 1 when a re-run could not start.
    var exitCode: Int32 {
        if failure != nil { return 1 }
        if quitWhileRunning { return 130 }
        return history.last?.report.exitCode ?? 130
    }

    mutating func handle(_ happening: Happening) -> [Effect] {
        switch happening {
        case .command(let command):
            return handle(command)
        case .interrupted:
            leaving = true
            return running ? [] : [.closeConsole]
        case .finished(let result):
            history.append(result.report, rerun: rerunLabel, reportPath: result.summary.report)
            running = false
            return leaving && consoleOpen ? [.closeConsole] : []
        case .consoleClosed:
            consoleOpen = false
            leaving = true
            return running ? [.drain] : []
        case .rerunFailed(let reason):
            running = false
            failure = reason
            leaving = true
            return consoleOpen ? [.closeConsole] : []
        }
    }

    private mutating func handle(_ command: ConsoleCommand) -> [Effect] {
        switch command {
        case .pause: return running ? [.pause] : []
        case .resume: return running ? [.resume] : []
        case .drain: return running ? [.drain] : []
        case .setCapacityCap(let cap): return running ? [.setCap(cap)] : []
        case .rerun(let table):
            guard !running, !leaving, history.last != nil else { return [] }
            running = true
            rerunLabel = RerunRequest(table: table).description
            return [.startRerun(table: table)]
        case .quit:
            leaving = true
            quitWhileRunning = running
            return running ? [.drain] : [.closeConsole]
        }
    }

    /// The re-run asked for had nothing to do (no failed pair left): nothing runs.
    mutating func rerunHadNothingToDo() {
        running = false
    }
}
