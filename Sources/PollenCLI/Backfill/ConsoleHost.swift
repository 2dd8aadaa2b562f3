import Foundation
import PollenConsole
import PollenEngine
import PollenTerminal
import Synchronization

/// Runs backfills under the console: the engine on the async side, the console's frame loop
/// on a thread of its own (the only thread that draws), joined by the console's commands.
///
/// The operator can pause, change the capacity cap, drain, and, once a run is done, re-run
/// what failed (`r` for the selected table, `R` for everything) into the same console. A
/// Ctrl-C drains and then closes the console; a second one restores the terminal and exits.
/// When the console closes, the summary of every attempt (the first run and each re-run) is
/// printed to stdout; the exit code is the last attempt's.
final class ConsoleHost {
    private let launcher: BackfillLauncher
    private let options: ConsoleOptions
    private let makeTerminal: (ConsoleOptions) throws -> any TerminalBackend

    init(launcher: BackfillLauncher, options: ConsoleOptions,
         makeTerminal: @escaping (ConsoleOptions) throws -> any TerminalBackend = { try NcursesTerminal(options: $0) }) {
        self.launcher = launcher
        self.options = options
        self.makeTerminal = makeTerminal
    }

    /// Hands the console's commands to the host's loop.
    private struct Forwarder: ConsoleCommandHandler {
        let continuation: AsyncStream<ConsoleSession.Happening>.Continuation
        func handle(_ command: ConsoleCommand) { continuation.yield(.command(command)) }
    }

    func run(first setup: BackfillSetup, files: RunFiles) async throws -> Int32 {
        let (happenings, continuation) = AsyncStream<ConsoleSession.Happening>.makeStream()
        let terminal = try makeTerminal(options)
        let buffer = ConsoleEventBuffer()
        let app: ConsoleApp
        do {
            app = try ConsoleApp(backend: terminal, events: buffer, handler: Forwarder(continuation: continuation),
                                 options: options)
        } catch {
            terminal.restore()
            throw CLIFailure.message(String(describing: error))
        }
        let current: BackfillLauncher.Launched
        do {
            current = try launch(setup, files: files, output: buffer, continuation: continuation)
        } catch {
            terminal.restore()
            throw error
        }
        let thread = Thread {
            // Named from inside: on Linux only the running thread's own name reaches the OS
            // (/proc, top -H), where the console benchmark finds the drawing thread.
            Thread.current.name = "pollen.console"
            app.run()
            continuation.yield(.consoleClosed)
        }
        thread.start()

        let running = Mutex(current)
        let restorer = TerminalRestorer(terminal: terminal)
        let interrupts = InterruptHandler(beforeExit: { restorer.restore() }) {
            running.withLock { $0 }.engine.control.drain()
            continuation.yield(.interrupted)
        }
        defer { interrupts.stop() }

        var session = ConsoleSession(earlier: setup.earlier, rerunLabel: setup.rerunLabel)
        for await happening in happenings {
            for effect in session.handle(happening) {
                let engine = running.withLock { $0 }.engine
                switch effect {
                case .pause: engine.control.pause()
                case .resume: engine.control.resume()
                case .drain: engine.control.drain()
                case .setCap(let cap): engine.setCapacityCap(cap)
                case .closeConsole: app.finish()
                case .startRerun(let table):
                    do {
                        guard let rerun = try startRerun(of: table, after: session, from: files, cap: engine.capacityCap,
                                                         output: buffer, continuation: continuation) else {
                            session.rerunHadNothingToDo()
                            break
                        }
                        running.withLock { $0 = rerun }
                    } catch {
                        for effect in session.handle(.rerunFailed(String(describing: error))) where effect == .closeConsole {
                            app.finish()
                        }
                    }
                }
            }
            if session.isOver { break }
        }
        if let failure = session.failure { StandardStreams.err("pollen: the re-run could not start: \(failure)\n") }
        if !session.history.attempts.isEmpty { StandardStreams.out(SummaryText.render(session.history)) }
        return session.exitCode
    }

    /// Starts a re-run of what failed in the session's last attempt, in a run directory of its
    /// own next to the first run's, at the cap the operator left; `nil` when nothing is left to do.
    private func startRerun(of table: PollenTable?, after session: ConsoleSession, from files: RunFiles,
                            cap: WriteRateController.Cap, output: ConsoleEventBuffer,
                            continuation: AsyncStream<ConsoleSession.Happening>.Continuation) throws -> BackfillLauncher.Launched? {
        guard let report = session.history.last?.report else { return nil }
        let runID = BackfillConfiguration.newRunID(at: Timestamp.iso8601(Date()))
        let sibling = URL(fileURLWithPath: files.directory).deletingLastPathComponent().appendingPathComponent(runID)
        let rerunFiles = RunFiles(runID: runID, runDirectory: sibling.path, report: nil, journal: nil)
        let setup = try BackfillSetup.rerun(of: report, symbols: nil, tables: table.map { [$0] }, command: launcher.command,
                                            runID: runID, cacheDirectory: rerunFiles.directory + "/cache")
        guard !setup.plan.units.isEmpty else { return nil }
        return try launch(setup, files: rerunFiles, output: output, continuation: continuation, cap: cap)
    }

    private func launch(_ setup: BackfillSetup, files: RunFiles, output: ConsoleEventBuffer,
                        continuation: AsyncStream<ConsoleSession.Happening>.Continuation,
                        cap: WriteRateController.Cap? = nil) throws -> BackfillLauncher.Launched {
        let launched = try launcher.launch(setup, files: files, output: output, cap: cap)
        Task { continuation.yield(.finished(await launched.result.value)) }
        return launched
    }
}

/// Lets the signal handler restore the terminal before a second Ctrl-C exits the process;
/// `restore()` is idempotent and the process ends right after, so no drawing races it.
private final class TerminalRestorer: @unchecked Sendable {
    private let terminal: any TerminalBackend
    init(terminal: any TerminalBackend) { self.terminal = terminal }
    func restore() { terminal.restore() }
}
