import Foundation
import XCTest
@testable import PollenEngine

/// The attempts of one backfill: each named, each asset's outcome in every attempt that had
/// it, the latest outcome winning, and the JSON each attempt is summarised as.
final class AttemptHistoryTests: XCTestCase {
    func testAssetsKeepEveryAttemptsOutcomeAndTheLatestWins() throws {
        var first = RunReportTests.report()
        first.runId = "first"
        var rerun = RunReportTests.report()
        rerun.runId = "second"
        rerun.status = .complete
        rerun.exitCode = 0
        rerun.assets = ["MSFT": RunReport.AssetReport(status: .complete, lastPollenationDate: "2026-01-02T00:00:00Z",
                                                      confirmed: true, markError: nil, durationSeconds: 1, tables: [:])]
        var history = AttemptHistory()
        XCTAssertNil(history.last)
        history.append(first, rerun: nil, reportPath: "/runs/first/report.json")
        history.append(rerun, rerun: AttemptHistory.rerunLabel(tables: [.earnings, .cashFlow]), reportPath: nil)

        XCTAssertEqual(history.attempts.map(\.title), ["#1 PARTIAL exit 2", "#2 re-run of earnings, cashFlow COMPLETE exit 0"])
        XCTAssertEqual(history.last?.report.runId, "second")
        XCTAssertEqual(AttemptHistory.rerunLabel(tables: nil), "re-run of everything that failed")
        let assets = history.assets
        XCTAssertEqual(assets.map(\.symbol), ["AAPL", "IBM", "MSFT"])
        let msft = try XCTUnwrap(assets.last)
        XCTAssertEqual(msft.outcomes.map(\.attempt), [1, 2])
        XCTAssertEqual(msft.outcomes.map(\.status), [.partial, .complete])
        XCTAssertEqual(msft.latest.lastPollenationDate, "2026-01-02T00:00:00Z", "the latest attempt's outcome")
        XCTAssertEqual(assets.first?.outcomes.map(\.attempt), [1], "an asset only the first attempt had")

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(history.attempts), as: UTF8.self)
        XCTAssertEqual(json, #"[{"assets":{"AAPL":"COMPLETE","IBM":"FAILED","MSFT":"PARTIAL"},"exitCode":2,"number":1,"#
                       + #""report":"\/runs\/first\/report.json","rerun":null,"runDirectory":"\/runs\/x","runId":"first","#
                       + #""status":"PARTIAL"},{"assets":{"MSFT":"COMPLETE"},"exitCode":0,"number":2,"report":null,"#
                       + #""rerun":"re-run of earnings, cashFlow","runDirectory":"\/runs\/x","runId":"second","status":"COMPLETE"}]"#)
    }
}
