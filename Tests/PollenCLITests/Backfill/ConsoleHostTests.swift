import Foundation
import PollenConsole
import PollenSource
import PollenTestSupport
import Synchronization
import XCTest
@testable import PollenCLI
@testable import PollenEngine

/// The console host with an in-memory terminal and a scripted DynamoDB: a partial run, a
/// re-run from the console once the fault is gone, a re-run that cannot start; the exit code,
/// the attempts on screen and the terminal given back every time.
final class ConsoleHostTests: XCTestCase {
    struct Session {
        let terminal: FakeTerminal
        let result: Task<Int32, Error>
        let source: URL
        /// Held for as long as the test: its transport answers only while it lives.
        let database: ScriptedDynamoDB
    }

    /// Whether the scripted DynamoDB refuses the earnings writes; the test turns it off.
    final class Fault: Sendable {
        private let state = Mutex(true)
        var isOn: Bool { state.withLock { $0 } }
        func clear() { state.withLock { $0 = false } }
    }

    /// Starts a console backfill of three sample assets whose earnings fail while `failing` is on.
    func start(failing: Fault) async throws -> Session {
        let directory = TemporaryDirectory()
        let source = directory.url.appendingPathComponent("data")
        let symbols = try SampleDataGenerator(seed: 7).write(assets: 3, to: source)
        let db = ScriptedDynamoDB(registered: symbols) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && failing.isOn
                ? .error(code: "ValidationException", message: "scripted refusal") : .normal
        }
        let runs = directory.url.appendingPathComponent("runs").path
        let command = try BackfillCommand.parse(["--source", source.path, "--run-dir", runs + "/first", "--max-attempts", "1",
                                                 "--ui", "tui"])
        let client = db.client()
        let setup = try await BackfillSetup.make(command: command, client: client, runID: "first", cacheDirectory: runs + "/cache")
        let files = RunFiles(runID: "first", runDirectory: runs + "/first", report: nil, journal: nil)
        let terminal = FakeTerminal(width: 132, height: 43)
        let host = ConsoleHost(launcher: BackfillLauncher(command: command, client: client),
                               options: ConsoleOptions(framesPerSecond: 30, unicode: true, color: false, environment: [:]),
                               makeTerminal: { _ in terminal })
        let result = Task {
            defer { withExtendedLifetime(directory) {} }  // the files live as long as the run
            return try await host.run(first: setup, files: files)
        }
        return Session(terminal: terminal, result: result, source: source, database: db)
    }

    func waitFor(_ text: String, on terminal: FakeTerminal, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if terminal.screen.contains(text) { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("timed out waiting for '\(text)'; the screen was:\n\(terminal.screen)")
        throw CancellationError()
    }

    func testAPartialRunThenARerunFromTheConsoleThenQuit() async throws {
        let failing = Fault()
        let session = try await start(failing: failing)
        try waitFor("Run finished · PARTIAL · exit code 2", on: session.terminal)
        failing.clear()
        session.terminal.press(Key.character("R"))
        try waitFor("Run finished · COMPLETE · exit code 0", on: session.terminal)
        XCTAssertTrue(session.terminal.screen.contains("#1 PARTIAL exit 2"), session.terminal.screen)
        session.terminal.press(Key.character("q"))
        let exitCode = try await session.result.value
        XCTAssertEqual(exitCode, 0, "the last attempt's exit code")
        XCTAssertGreaterThanOrEqual(session.terminal.restores, 1, "the terminal was given back")
    }

    func testARerunThatCannotStartRestoresTheTerminalAndExitsOne() async throws {
        let session = try await start(failing: Fault())
        try waitFor("Run finished · PARTIAL · exit code 2", on: session.terminal)
        try FileManager.default.removeItem(at: session.source)  // the re-run cannot read its source
        session.terminal.press(Key.character("R"))
        let exitCode = try await session.result.value
        XCTAssertEqual(exitCode, 1)
        XCTAssertGreaterThanOrEqual(session.terminal.restores, 1, "the terminal was given back")
    }
}
