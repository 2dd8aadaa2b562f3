import Foundation
import PollenTestSupport
import XCTest

/// One table missing, one asset with a malformed payload, one asset row not registered:
/// exit code 2, every failed pair named with its reason, everything else written, and the
/// partial assets' `lastPollenationDate` unchanged.
final class BackfillPartialSuccessTests: XCTestCase {
    func testPartialSuccessIsReportedPairByPair() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 4)
        let (malformed, unregistered) = (symbols[1], symbols[2])
        try harness.register(symbols.filter { $0 != unregistered })

        // A first, complete run gives the registered assets a lastPollenationDate.
        let first = try harness.backfill()
        XCTAssertEqual(first.exitCode, 2, "the unregistered asset cannot be confirmed: \(first.result.stderr)")
        var earlierDates: [String: String] = [:]
        for symbol in symbols where symbol != unregistered {
            earlierDates[symbol] = try XCTUnwrap((try harness.assetRow(symbol)?["lastPollenationDate"] as? [String: String])?["S"])
        }
        Thread.sleep(forTimeInterval: 1.1)  // a later run has a later timestamp

        // Break things: a missing table, a malformed payload.
        _ = try Boto3.run("ddb.delete_table(TableName=args); emit(True)", endpoint: harness.server.endpoint,
                          args: harness.prefix + "cashFlow")
        try "{\"symbol\": \"\(malformed)\", \"annualEarnings\": [".write(
            toFile: "\(harness.sourceDirectory)/\(malformed)/EARNINGS.json", atomically: true, encoding: .utf8)

        let run = try harness.backfill()
        XCTAssertEqual(run.exitCode, 2, run.result.stderr)
        let summary = try XCTUnwrap(run.summary)
        XCTAssertEqual(summary["status"] as? String, "PARTIAL")
        let assets = try XCTUnwrap(summary["assets"] as? [String: [String: Any]])
        let report = try XCTUnwrap(run.report)
        let reportAssets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])

        for symbol in symbols {
            XCTAssertEqual(assets[symbol]?["status"] as? String, "PARTIAL", symbol)
            let pairs = try XCTUnwrap(reportAssets[symbol]?["tables"] as? [String: [String: Any]])
            // The missing table fails for every asset, with its reason.
            XCTAssertEqual(pairs["cashFlow"]?["state"] as? String, "failed")
            XCTAssertTrue((pairs["cashFlow"]?["reason"] as? String)?.contains("does not exist") ?? false)
            // The malformed payload fails only its own pair.
            if symbol == malformed {
                XCTAssertEqual(pairs["earnings"]?["state"] as? String, "failed")
                XCTAssertTrue((pairs["earnings"]?["reason"] as? String)?.contains("not valid JSON") ?? false,
                              "\(pairs["earnings"]?["reason"] ?? "nil")")
            } else {
                XCTAssertEqual(pairs["earnings"]?["state"] as? String, "ok")
            }
            for table in ["companyOverview", "balanceSheet", "incomeStatement"] {
                XCTAssertEqual(pairs[table]?["state"] as? String, "ok", "\(symbol) \(table)")
            }
            if symbol == unregistered {
                XCTAssertEqual(assets[symbol]?["confirmed"] as? Bool, false)
                XCTAssertTrue(assets[symbol]?["lastPollenationDate"] is NSNull)
                XCTAssertEqual(reportAssets[symbol]?["markError"] as? String, "asset not registered")
                XCTAssertNil(try harness.assetRow(symbol), "a backfill never creates asset rows")
            } else {
                XCTAssertEqual(assets[symbol]?["confirmed"] as? Bool, true)
                let row = try XCTUnwrap(try harness.assetRow(symbol))
                XCTAssertEqual((row["lastPollenationDate"] as? [String: String])?["S"], earlierDates[symbol],
                               "a partial run leaves lastPollenationDate unchanged")
                XCTAssertEqual(assets[symbol]?["lastPollenationDate"] as? String, earlierDates[symbol])
                XCTAssertEqual((row["pollenationStatus"] as? [String: String])?["S"], "PARTIAL")
                let states = (row["pollenationTables"] as? [String: Any])?["M"] as? [String: [String: String]]
                XCTAssertEqual(states?["cashFlow"]?["S"], "failed")
                XCTAssertNotEqual((row["lastPollenationAttempt"] as? [String: String])?["S"], earlierDates[symbol])
            }
        }

        // Everything else was written: the earnings of the other assets, the other tables.
        let earnings = try harness.dump("earnings")
        XCTAssertEqual(Set(earnings.keys.map { String($0.split(separator: "#")[0]) }), Set(symbols))
        XCTAssertEqual(try harness.dump("companyOverview").count, 4)
        XCTAssertEqual(try harness.dump("balanceSheet").count, 4 * 25)

        // The plain summary says the same to a person, with what to do next.
        let plain = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--ui", "plain",
                                        "--run-dir", harness.runsDirectory + "/plain"])
        XCTAssertEqual(plain.exitCode, 2)
        XCTAssertTrue(plain.stdout.contains("\(malformed)  PARTIAL"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("cashFlow: table \(harness.prefix)cashFlow does not exist"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("row: asset not registered"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("Re-run what failed: pollen backfill --rerun "), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("no lastPollenationDate (NOT confirmed)"), "the unregistered asset: \(plain.stdout)")
        XCTAssertFalse(plain.stdout.contains("no lastPollenationDate (confirmed"), plain.stdout)

        // A re-run of the mended payload's table: its summary covers both attempts, plain and JSON.
        _ = try harness.sampleData(assets: 4)  // the same seed writes the same, valid files again
        let plainReport = harness.runsDirectory + "/plain/report.json"
        let rerun = try harness.pollen(["backfill", "--rerun", plainReport, "--tables", "earnings", "--ui", "plain",
                                        "--run-dir", harness.runsDirectory + "/rerun-plain"])
        XCTAssertTrue(rerun.stdout.contains("Attempts:\n  #1 PARTIAL exit 2 (run "), rerun.stdout)
        XCTAssertTrue(rerun.stdout.contains("#2 re-run of earnings COMPLETE exit 0 (run "), "the selected pair was written: \(rerun.stdout)")
        XCTAssertTrue(rerun.stdout.contains("run directory \(harness.runsDirectory)/plain"), rerun.stdout)
        let malformedLine = rerun.stdout.split(separator: "\n").first { $0.hasPrefix("  \(malformed)  ") }
        XCTAssertTrue(malformedLine?.hasSuffix("[#1 PARTIAL, #2 PARTIAL]") == true, rerun.stdout)
        let json = try harness.pollen(["backfill", "--rerun", plainReport, "--tables", "earnings", "--ui", "json",
                                       "--run-dir", harness.runsDirectory + "/rerun-json"])
        let last = try XCTUnwrap(json.stdout.split(separator: "\n").last)
        let line = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertEqual(line["event"] as? String, "summary")
        XCTAssertEqual(json.stdout.components(separatedBy: "\"event\":\"summary\"").count, 2, "one summary line")
        let attempts = try XCTUnwrap(line["attempts"] as? [[String: Any]])
        XCTAssertEqual(attempts.map { $0["number"] as? Int }, [1, 2])
        XCTAssertEqual(attempts[0]["report"] as? String, plainReport)
        XCTAssertEqual(attempts[1]["rerun"] as? String, "re-run of earnings")
        XCTAssertEqual((attempts[0]["assets"] as? [String: String])?[malformed], "PARTIAL")
    }
}
