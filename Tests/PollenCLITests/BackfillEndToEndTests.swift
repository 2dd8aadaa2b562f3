import Foundation
import PollenTestSupport
import XCTest

/// `pollen backfill` end to end: sample data for 20 assets into the local DynamoDB, checked
/// item by item with boto3.
final class BackfillEndToEndTests: XCTestCase {
    func testTwentyAssetsAllTablesCompleteAndConfirmed() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 20)
        try harness.register(symbols)
        let run = try harness.backfill()
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)

        // The summary line of CONTRACT section 3.
        let summary = try XCTUnwrap(run.summary)
        XCTAssertEqual(summary["event"] as? String, "summary")
        XCTAssertEqual(summary["status"] as? String, "COMPLETE")
        XCTAssertEqual(summary["report"] as? String, run.runDirectory + "/report.json")
        let assets = try XCTUnwrap(summary["assets"] as? [String: [String: Any]])
        XCTAssertEqual(Set(assets.keys), Set(symbols))
        for (symbol, asset) in assets {
            XCTAssertEqual(asset["status"] as? String, "COMPLETE", symbol)
            XCTAssertEqual(asset["confirmed"] as? Bool, true, symbol)
            let date = try XCTUnwrap(asset["lastPollenationDate"] as? String, symbol)
            XCTAssertNotNil(date.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression))
            // The asset row says the same, read independently.
            let row = try XCTUnwrap(try harness.assetRow(symbol))
            XCTAssertEqual((row["lastPollenationDate"] as? [String: String])?["S"], date)
            XCTAssertEqual((row["pollenationStatus"] as? [String: String])?["S"], "COMPLETE")
            let tables = (row["pollenationTables"] as? [String: Any])?["M"] as? [String: [String: String]]
            XCTAssertEqual(tables?.count, 5)
            XCTAssertTrue(tables?.values.allSatisfy { $0["S"] == "ok" } ?? false)
        }
        let tables = try XCTUnwrap(summary["tables"] as? [String: [String: Any]])
        for name in ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            let totals = try XCTUnwrap(tables[name], name)
            for key in ["written", "failed", "rejected", "retries", "throttled"] { XCTAssertNotNil(totals[key], "\(name).\(key)") }
            XCTAssertEqual(totals["failed"] as? Int, 0)
        }

        // Counts and spot checks with boto3.
        let overview = try harness.dump("companyOverview")
        XCTAssertEqual(overview.count, 20)
        XCTAssertEqual(tables["companyOverview"]?["written"] as? Int, 20)
        for name in ["earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            let items = try harness.dump(name)
            XCTAssertEqual(items.count, tables[name]?["written"] as? Int, name)
        }
        let balance = try harness.dump("balanceSheet")
        XCTAssertEqual(balance.count, 20 * 25, "5 annual and 20 quarterly reports per asset")
        let someSymbol = symbols[0]
        let quarter = try XCTUnwrap(balance.first { $0.key.hasPrefix(someSymbol + "#quarterly#") }?.value)
        XCTAssertEqual((quarter["reportType"] as? [String: String])?["S"], "quarterly")
        XCTAssertEqual((quarter["source"] as? [String: String])?["S"], "alphavantage")
        XCTAssertNotNil((quarter["totalAssets"] as? [String: String])?["N"], "numbers are stored as N")
        XCTAssertEqual((quarter["reportedCurrency"] as? [String: String])?["S"], "USD")
        XCTAssertNotNil((quarter["fiscalDateEnding"] as? [String: String])?["S"], "dates stay strings")

        // Every item matches its source record: numbers exact, "None" fields left out.
        let payload = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            "\(harness.sourceDirectory)/\(someSymbol)/BALANCE_SHEET.json"))) as! [String: Any]
        var noneFieldsSeen = 0
        for (list, type) in [("annualReports", "annual"), ("quarterlyReports", "quarterly")] {
            for report in payload[list] as! [[String: String]] {
                let item = try XCTUnwrap(balance["\(someSymbol)#\(type)#\(report["fiscalDateEnding"]!)"])
                for (field, value) in report {
                    if value == "None" {
                        noneFieldsSeen += 1
                        XCTAssertNil(item[field], "\(field) is None in the source and must be left out")
                    } else if field == "fiscalDateEnding" || field == "reportedCurrency" {
                        XCTAssertEqual((item[field] as? [String: String])?["S"], value)
                    } else {
                        XCTAssertEqual((item[field] as? [String: String])?["N"], value, field)
                    }
                }
            }
        }
        XCTAssertGreaterThan(noneFieldsSeen, 0, "the sample data should contain None values")

        // The run directory holds the report, the journal and the structured log.
        for file in ["report.json", "journal", "events.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.runDirectory + "/" + file), file)
        }
        let events = try String(contentsOfFile: run.runDirectory + "/events.jsonl", encoding: .utf8)
        XCTAssertTrue(events.contains(#""event":"batchAcknowledged""#))
        XCTAssertTrue(events.contains(#""event":"assetMarked""#))
        XCTAssertFalse(events.contains(quarter["totalAssets"].flatMap { ($0 as? [String: String])?["N"] } ?? "-"),
                       "the structured log never holds item contents")
    }

    func testDryRunPlansWithoutWriting() throws {
        let harness = try BackfillHarness(provisionedWCU: 100)
        let symbols = try harness.sampleData(assets: 3)
        let result = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--dry-run"])
        XCTAssertEqual(result.exitCode, 0, result.output)
        XCTAssertTrue(result.stdout.contains("Dry run: 3 assets, nothing written."), result.stdout)
        XCTAssertTrue(result.stdout.contains("100 WCU/s"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Estimated time"), result.stdout)
        let balance = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix(harness.prefix + "balanceSheet") })
        XCTAssertTrue(balance.contains(" 75 "), "3 assets × 25 reports: \(balance)")
        XCTAssertEqual(try harness.dump("balanceSheet").count, 0)
        XCTAssertNil(try harness.assetRow(symbols[0]))
        let json = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--dry-run", "--ui", "json"])
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(plan["assets"] as? Int, 3)
    }
}
