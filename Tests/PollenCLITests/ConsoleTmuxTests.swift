import Foundation
import PollenTestSupport
import XCTest

/// The real binary's console in a detached tmux session against the local DynamoDB, some
/// payloads broken and a table throttled: help, pause, resize, a partial summary with confirmed
/// dates, the cap moved from `--max-capacity-pct 5` with `+` and `-` (the header follows the
/// engine), a re-run of what failed from the console once the payloads are mended, quit, the
/// exit code, the terminal restored and a printed summary of both attempts.
final class ConsoleTmuxTests: XCTestCase {
    func testOperatorSessionInTmux() async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 10)
        try harness.register(symbols)
        // Three assets' earnings are not valid JSON (those pairs fail); balanceSheet is throttled,
        // so the run lasts.
        let broken = symbols.prefix(3).map { "\(harness.sourceDirectory)/\($0)/EARNINGS.json" }
        let originals = try broken.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        for path in broken { try Data("{\"annualEarnings\": [".utf8).write(to: URL(fileURLWithPath: path)) }
        try await harness.server.setFaults(["table_wcu": [harness.prefix + "balanceSheet": 20], "latency_ms": 25])
        let exitFile = harness.workspace.path + "/exit"
        var exports = harness.server.environment.compactMap { key, value in value.map { "\(key)='\($0)'" } }
        exports += ["POLLEN_TABLE_PREFIX='\(harness.prefix)'", "LANG=C.UTF-8", "TERM=xterm-256color"]
        let command = "export \(exports.joined(separator: " ")); '\(RepositoryPaths.pollenExecutable)' backfill "
            + "--source '\(harness.sourceDirectory)' --run-dir '\(harness.runsDirectory)/tui' --max-attempts 1 "
            + "--concurrency 4 --max-capacity-pct 5; echo EXIT=$? > '\(exitFile)'"
        let tmux = try Tmux(command: command, width: 132, height: 43)

        try tmux.waitFor("TABLE", timeout: 60)
        try tmux.waitFor("RUNNING")
        try tmux.waitFor("cap 5%")
        try tmux.send("+")
        try tmux.waitFor("cap 10%")
        for _ in 0..<9 { try tmux.send("+") }
        try tmux.waitFor("cap 100%")
        try tmux.send("-")
        try tmux.waitFor("cap 90%")
        try tmux.send("+")
        try tmux.waitFor("cap 100%")
        try tmux.send("?")
        let help = try tmux.waitFor("re-run everything that failed")
        XCTAssertTrue(help.contains("pause"), help)
        try tmux.send("Escape")
        try tmux.send("p")
        try tmux.waitFor("PAUSED")
        try tmux.send("p")
        try tmux.waitFor("RUNNING")

        try tmux.resize(width: 100, height: 30)
        let narrow = try tmux.waitFor("Tables")
        XCTAssertTrue(narrow.split(separator: "\n").allSatisfy { $0.count <= 100 }, narrow)
        try tmux.resize(width: 70, height: 20)
        try tmux.waitFor("terminal too small")
        try tmux.resize(width: 132, height: 43)

        let summary = try tmux.waitFor("Run finished", timeout: 120)
        XCTAssertTrue(summary.contains("PARTIAL"), summary)
        XCTAssertTrue(summary.contains("exit code 2"), summary)
        XCTAssertTrue(summary.contains("earnings"), summary)
        let wholeDate = try Regex(#"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z +✓ confirmed"#)
        XCTAssertTrue(summary.contains(wholeDate), "whole confirmed lastPollenationDate shown: \(summary)")

        // Mend the payloads and re-run everything that failed from the console.
        for (path, data) in zip(broken, originals) { try data.write(to: URL(fileURLWithPath: path)) }
        try tmux.send("R")
        let rerun = try tmux.waitFor("COMPLETE · exit code 0", timeout: 120)
        XCTAssertTrue(rerun.contains("Run finished"), rerun)
        XCTAssertTrue(rerun.contains("#1 PARTIAL exit 2"), rerun)

        try tmux.send("q")
        let exit = try waitForFile(exitFile)
        XCTAssertEqual(exit, "EXIT=0\n", "the process returns the last run's exit code")
        XCTAssertFalse(try tmux.alternateScreenOn(), "the terminal was restored")
        let after = try tmux.captureWithHistory()
        XCTAssertTrue(after.contains("COMPLETE (exit 0)"), "the plain summary is printed after the console closes: \(after)")
        XCTAssertTrue(after.contains("#1 PARTIAL exit 2"), "the summary covers the first attempt: \(after)")
        XCTAssertTrue(after.contains("#2 re-run of everything that failed COMPLETE exit 0"), after)
        for symbol in symbols.prefix(3) {
            let line = after.split(separator: "\n").first { $0.hasPrefix("  \(symbol)  ") }
            XCTAssertTrue(line?.contains("[#1 PARTIAL, #2 COMPLETE]") == true, "\(symbol) across both attempts: \(after)")
        }
        for symbol in symbols {
            XCTAssertEqual((try harness.assetRow(symbol)?["pollenationStatus"] as? [String: String])?["S"], "COMPLETE")
        }
    }

    func waitForFile(_ path: String, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
            usleep(100_000)
        }
        throw TmuxError.timedOut(waitingFor: path, screen: "")
    }
}
