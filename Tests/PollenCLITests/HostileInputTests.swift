import Foundation
import PollenTestSupport
import XCTest

/// Input meant to harm: terminal escapes in folder names and on the command line reach the
/// output as visible escapes, never raw.
final class HostileInputTests: XCTestCase {
    func testTerminalEscapesInFolderNamesAndArgumentsAreShownNotObeyed() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 1)
        try harness.register(symbols)
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
        try FileManager.default.createDirectory(atPath: harness.sourceDirectory + "/" + hostile, withIntermediateDirectories: true)
        let run = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--ui", "plain",
                                      "--run-dir", harness.runsDirectory + "/hostile"])
        XCTAssertFalse(run.output.contains("\u{1B}"), "a raw escape reached the terminal: \(run.output.debugDescription)")
        XCTAssertFalse(run.output.contains("\u{07}"))
        XCTAssertTrue(run.output.contains("\\x1B]0;pwned\\x07"), run.output)

        let argument = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--symbols", "\u{1B}[2JX"])
        XCTAssertEqual(argument.exitCode, 64)
        XCTAssertFalse(argument.output.contains("\u{1B}"), argument.output.debugDescription)
        XCTAssertTrue(argument.stderr.contains("\\x1B[2JX"), argument.stderr)
    }

    /// `--symbols ""` ran nothing and said "0 assets COMPLETE (exit 0)".
    func testAnEmptySymbolListIsRefused() throws {
        let harness = try BackfillHarness()
        for empty in ["", " , "] {
            let run = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--symbols", empty])
            XCTAssertEqual(run.exitCode, 64, run.output)
            XCTAssertTrue(run.stderr.contains("--symbols names no symbol"), run.stderr)
        }
    }
}
