import Foundation
import PollenTestSupport
import XCTest

/// A table limited to 50 write units per second: the run completes with retries and
/// throttles counted and no item lost; with `--max-attempts 1`, failed batches are reported
/// and `--rerun` completes them.
final class BackfillThrottlingTests: XCTestCase {
    func limitEarnings(_ harness: BackfillHarness) async throws {
        try await harness.server.setFaults(["table_wcu": [harness.prefix + "earnings": 50]])
    }

    func testThrottledTableCompletesWithNothingLost() async throws {
        let harness = try BackfillHarness()
        try await limitEarnings(harness)
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        let run = try harness.backfill()
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        let summary = try XCTUnwrap(run.summary)
        let earnings = try XCTUnwrap((summary["tables"] as? [String: [String: Int]])?["earnings"])
        XCTAssertGreaterThan(earnings["throttled", default: 0] + earnings["retries", default: 0], 0,
                             "DynamoDB pushed back, and the run counted it: \(earnings)")
        XCTAssertEqual(earnings["failed"], 0)

        let stored = try harness.dump("earnings")
        XCTAssertEqual(stored.count, earnings["written"], "every item written exactly once")
        var expected = 0
        for symbol in symbols {
            let payload = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
                "\(harness.sourceDirectory)/\(symbol)/EARNINGS.json"))) as! [String: Any]
            expected += (payload["annualEarnings"] as! [Any]).count + (payload["quarterlyEarnings"] as! [Any]).count
        }
        XCTAssertEqual(stored.count, expected, "no item lost")

        let stats = try await harness.server.stats()
        let peak = (stats["maxUnitsPerSecond"] as? [String: Double])?[harness.prefix + "earnings"] ?? 0
        XCTAssertLessThanOrEqual(peak, 50, "the server never granted more than the table's capacity")
        XCTAssertGreaterThan(peak, 25, "the run used the capacity it had")
    }

    func testMaxAttemptsOneReportsFailedBatchesAndRerunCompletesThem() async throws {
        let harness = try BackfillHarness()
        try await limitEarnings(harness)
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        let first = try harness.backfill(["--max-attempts", "1"], runName: "first")
        XCTAssertEqual(first.exitCode, 2, first.result.stderr)
        let report = try XCTUnwrap(first.report)
        let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
        var failedKeys = 0
        for (symbol, asset) in assets {
            let pairs = asset["tables"] as! [String: [String: Any]]
            for (table, pair) in pairs where pair["state"] as? String == "failed" {
                XCTAssertEqual(table, "earnings", "only the throttled table fails (\(symbol))")
                let batches = try XCTUnwrap(pair["failedBatches"] as? [[String: Any]])
                XCTAssertFalse(batches.isEmpty)
                for batch in batches {
                    let keys = try XCTUnwrap(batch["keys"] as? [String])
                    XCTAssertTrue(keys.allSatisfy { $0.hasPrefix("annual#") || $0.hasPrefix("quarterly#") })
                    XCTAssertTrue((batch["error"] as? String)?.contains("ProvisionedThroughputExceededException") ?? false
                                  || (batch["error"] as? String)?.contains("unprocessed") ?? false, "\(batch)")
                    failedKeys += keys.count
                }
            }
        }
        XCTAssertGreaterThan(failedKeys, 0, "with one attempt, throttled batches fail")
        let written = try harness.dump("earnings").count
        XCTAssertGreaterThan(written, 0)

        let rerun = try harness.pollen(["backfill", "--rerun", first.runDirectory + "/report.json", "--ui", "json",
                                        "--run-dir", harness.runsDirectory + "/rerun"])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stderr)
        let rerunReport = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            harness.runsDirectory + "/rerun/report.json"))) as? [String: Any])
        let rerunAssets = try XCTUnwrap(rerunReport["assets"] as? [String: [String: Any]])
        for (_, asset) in rerunAssets {
            XCTAssertEqual((asset["tables"] as? [String: Any])?.keys.sorted(), ["earnings"], "only the failed pairs re-run")
        }
        XCTAssertEqual(try harness.dump("earnings").count, written + failedKeys, "the re-run wrote exactly what had failed")
        for symbol in symbols {
            let row = try XCTUnwrap(try harness.assetRow(symbol))
            XCTAssertEqual((row["pollenationStatus"] as? [String: String])?["S"], "COMPLETE", symbol)
        }
    }
}
