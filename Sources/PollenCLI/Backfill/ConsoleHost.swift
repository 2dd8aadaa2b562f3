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
/// When the console closes, the last run's summary is printed to stdout.
final class ConsoleHost {
    private let launcher: BackfillLauncher
    private let options: ConsoleOptions

    init(launcher: BackfillLauncher, options: ConsoleOptions) {
        self.launcher = launcher
        self.options = options
    }

    /// What the host reacts to, from the console's thread, the engine and the signals.
    private enum Happening: Sendable {
        case command(ConsoleCommand)
        case finished(BackfillEngine.Result)
        case interrupted
        case consoleClosed
    }

    /// Hands the console's commands to the host's loop.
    private struct Forwarder: ConsoleCommandHandler {
        let continuation: AsyncStream<Happening>.Continuation
        func handle(_ command: ConsoleCommand) { continuation.yield(.command(command)) }
    }

    func run(first setup: BackfillSetup, files: RunFiles) async throws -> Int32 {
        let (happenings, continuation) = AsyncStream<Happening>.makeStream()
        let terminal = try NcursesTerminal(options: options)
        let buffer = ConsoleEventBuffer()
        let app: ConsoleApp
        do {
            app = try ConsoleApp(backend: terminal, events: buffer, handler: Forwarder(continuation: continuation),
                                 options: options)
        } catch {
            terminal.restore()
            throw CLIFailure.message(String(describing: error))
        }
        let thread = Thread {
            // Named from inside: on Linux only the running thread's own name reaches the OS
            // (/proc, top -H), where the console benchmark finds the drawing thread.
            Thread.current.name = "pollen.console"
            app.run()
            continuation.yield(.consoleClosed)
        }
        thread.start()

        var current = try launch(setup, files: files, output: buffer, continuation: continuation)
        let currentControl = Mutex(current.engine.control)
        let restorer = TerminalRestorer(terminal: terminal)
        let interrupts = InterruptHandler(beforeExit: { restorer.restore() }) {
            currentControl.withLock { $0 }.drain()
            continuation.yield(.interrupted)
        }
        defer { interrupts.stop() }

        var last: BackfillEngine.Result?
        var running = true
        var leaving = false  // the operator quit or pressed Ctrl-C: close once the run has ended
        var consoleOpen = true
        var quitWhileRunning = false
        for await happening in happenings {
            switch happening {
            case .command(let command):
                switch command {
                case .pause: current.engine.control.pause()
                case .resume: current.engine.control.resume()
                case .drain: current.engine.control.drain()
                case .setCapacityPercent(let percent):
                    current.engine.setCapacityCap(.init(capacityPercent: percent, maxUnitsPerSecond: launcher.command.maxWCU))
                case .rerun(let table):
                    guard !running, let report = last?.report else { break }
                    let runID = BackfillConfiguration.newRunID(at: Timestamp.iso8601(Date()))
                    // A re-run gets its own run directory, next to the first run's.
                    let sibling = URL(fileURLWithPath: files.directory).deletingLastPathComponent().appendingPathComponent(runID)
                    let rerunFiles = RunFiles(runID: runID, runDirectory: sibling.path, report: nil, journal: nil)
                    let setup = try BackfillSetup.rerun(of: report, symbols: nil, tables: table.map { [$0] },
                                                        command: launcher.command, runID: runID,
                                                        cacheDirectory: rerunFiles.directory + "/cache")
                    guard !setup.plan.units.isEmpty else { break }
                    current = try launch(setup, files: rerunFiles, output: buffer, continuation: continuation)
                    currentControl.withLock { $0 = current.engine.control }
                    running = true
                case .quit:
                    leaving = true
                    quitWhileRunning = running
                    if running { current.engine.control.drain() }
                }
            case .interrupted:
                leaving = true
            case .finished(let result):
                last = result
                running = false
                if leaving { app.finish() }
            case .consoleClosed:
                consoleOpen = false
                leaving = true
                if running { current.engine.control.drain() }
            }
            if !consoleOpen && !running { break }
        }
        guard let last else { return 130 }
        StandardStreams.out(SummaryText.render(last.report, reportPath: last.summary.report))
        return quitWhileRunning ? 130 : last.exitCode
    }

    private func launch(_ setup: BackfillSetup, files: RunFiles, output: ConsoleEventBuffer,
                        continuation: AsyncStream<Happening>.Continuation) throws -> BackfillLauncher.Launched {
        let launched = try launcher.launch(setup, files: files, output: output)
        Task { continuation.yield(.finished(await launched.result.value)) }
        return launched
    }
}

/// Lets the signal handler restore the terminal before a second Ctrl-C exits the process;
/// `restore()` is idempotent and the process ends right after, so no drawing races it.
private final class TerminalRestorer: @unchecked Sendable {
    private let terminal: NcursesTerminal
    init(terminal: NcursesTerminal) { self.terminal = terminal }
    func restore() { terminal.restore() }
}
