import XCTest
@testable import PollenCLI
@testable import PollenEngine

/// The console host's state machine: every path from a command, a run ending, Ctrl-C or the
/// console closing to what the host does, and the exit code it ends with.
final class ConsoleSessionTests: XCTestCase {
    static func report(_ status: AssetStatus = .partial, exit: Int32 = 2, runId: String = "r") -> RunReport {
        RunReport(runId: runId, status: status, exitCode: exit, startedAt: "2026-01-01T00:00:00Z",
                  finishedAt: "2026-01-01T00:00:01Z", elapsedSeconds: 1, endpoint: "http://127.0.0.1:8000",
                  region: "us-east-1", tablePrefix: "", source: "/data", resumedFrom: nil, interrupted: false,
                  fatalError: nil, runDirectory: "/runs/\(runId)", journal: nil, events: nil, tables: [:], assets: [:],
                  alerts: [])
    }

    func result(_ status: AssetStatus, exit: Int32, runId: String = "r") -> BackfillEngine.Result {
        let report = Self.report(status, exit: exit, runId: runId)
        let summary = RunSummary(status: status, exitCode: exit, tables: [:], assets: [:], report: "/runs/\(runId)/report.json",
                                 runDirectory: "/runs/\(runId)", interrupted: false, fatalError: nil, alerts: [],
                                 elapsedSeconds: 1)
        return BackfillEngine.Result(report: report, summary: summary)
    }

    func testWhileWritingCommandsReachTheEngineAndQuitDrainsThenCloses() {
        var session = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        XCTAssertEqual(session.handle(.command(.pause)), [.pause])
        XCTAssertEqual(session.handle(.command(.resume)), [.resume])
        XCTAssertEqual(session.handle(.command(.setCapacityCap(.init(capacityPercent: 50)))), [.setCap(.init(capacityPercent: 50))])
        XCTAssertEqual(session.handle(.command(.rerun(table: nil))), [], "no re-run while writing")
        XCTAssertEqual(session.handle(.command(.quit)), [.drain])
        XCTAssertFalse(session.isOver)
        XCTAssertEqual(session.handle(.finished(result(.partial, exit: 2))), [.closeConsole], "closes once the run has ended")
        XCTAssertEqual(session.handle(.consoleClosed), [])
        XCTAssertTrue(session.isOver)
        XCTAssertEqual(session.exitCode, 130, "quit while writing")
    }

    func testReRunsAreNamedAndTheLastAttemptGivesTheExitCode() {
        var session = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        XCTAssertEqual(session.handle(.finished(result(.partial, exit: 2, runId: "first"))), [])
        XCTAssertEqual(session.handle(.command(.pause)), [], "nothing to pause once finished")
        XCTAssertEqual(session.handle(.command(.rerun(table: .earnings))), [.startRerun(table: .earnings)])
        XCTAssertEqual(session.handle(.command(.rerun(table: nil))), [], "one run at a time")
        XCTAssertEqual(session.handle(.finished(result(.complete, exit: 0, runId: "second"))), [])
        XCTAssertEqual(session.handle(.command(.quit)), [.closeConsole])
        XCTAssertEqual(session.handle(.consoleClosed), [])
        XCTAssertTrue(session.isOver)
        XCTAssertEqual(session.history.attempts.map(\.title), ["#1 PARTIAL exit 2", "#2 re-run of earnings COMPLETE exit 0"])
        XCTAssertEqual(session.exitCode, 0)
    }

    func testCtrlCWhileWritingWaitsForTheDrainAndAfterTheRunClosesAtOnce() {
        var writing = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        XCTAssertEqual(writing.handle(.interrupted), [], "the handler drained; wait for the run to end")
        XCTAssertEqual(writing.handle(.finished(result(.partial, exit: 130))), [.closeConsole])
        var finished = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        _ = finished.handle(.finished(result(.complete, exit: 0)))
        XCTAssertEqual(finished.handle(.interrupted), [.closeConsole], "nothing runs: close now")
        XCTAssertEqual(finished.handle(.command(.rerun(table: nil))), [], "no re-run once leaving")
    }

    func testTheConsoleClosingFirstDrainsTheRun() {
        var session = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        XCTAssertEqual(session.handle(.consoleClosed), [.drain])
        XCTAssertFalse(session.isOver, "the run still ends and is reported")
        XCTAssertEqual(session.handle(.finished(result(.partial, exit: 130))), [])
        XCTAssertTrue(session.isOver)
    }

    func testARerunThatCannotStartClosesTheConsoleAndExitsOne() {
        var earlier = AttemptHistory()
        earlier.append(Self.report(), rerun: nil, reportPath: "/runs/old/report.json")
        var session = ConsoleSession(earlier: earlier, rerunLabel: "re-run of everything that failed")
        _ = session.handle(.finished(result(.partial, exit: 2)))
        XCTAssertEqual(session.history.attempts.map(\.number), [1, 2], "the --rerun's report is attempt 1")
        XCTAssertEqual(session.handle(.command(.rerun(table: nil))), [.startRerun(table: nil)])
        XCTAssertEqual(session.handle(.rerunFailed("the source directory /data is missing")), [.closeConsole])
        XCTAssertEqual(session.handle(.consoleClosed), [])
        XCTAssertTrue(session.isOver)
        XCTAssertEqual(session.exitCode, 1)
        XCTAssertEqual(session.failure, "the source directory /data is missing")
    }

    func testARerunWithNothingToDoLeavesTheSessionIdle() {
        var session = ConsoleSession(earlier: AttemptHistory(), rerunLabel: nil)
        _ = session.handle(.finished(result(.complete, exit: 0)))
        _ = session.handle(.command(.rerun(table: .cashFlow)))
        session.rerunHadNothingToDo()
        XCTAssertFalse(session.running)
        XCTAssertEqual(session.handle(.command(.quit)), [.closeConsole])
    }
}
