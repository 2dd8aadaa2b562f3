import Foundation
import PollenTestSupport
import XCTest

/// Throttled tables against the local DynamoDB, read back with boto3: a table behind a limit
/// DescribeTable does not show, an announced on-demand maximum, both bucket models, hot keys,
/// capacity changed mid-run, and a throttled run at `--max-attempts 1` that still completes.
/// Transient errors at `--max-attempts 1` fail batches, and `--rerun` completes them.
final class BackfillThrottlingTests: XCTestCase {
    /// Expected earnings items of the sample data (annual + quarterly per symbol).
    func expectedEarnings(_ harness: BackfillHarness, _ symbols: [String]) throws -> Int {
        var expected = 0
        for symbol in symbols {
            let payload = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
                "\(harness.sourceDirectory)/\(symbol)/EARNINGS.json"))) as! [String: Any]
            expected += (payload["annualEarnings"] as! [Any]).count + (payload["quarterlyEarnings"] as! [Any]).count
        }
        return expected
    }

    func earningsTotals(_ run: BackfillRun) throws -> [String: Any] {
        let summary = try XCTUnwrap(run.summary)
        return try XCTUnwrap((summary["tables"] as? [String: [String: Any]])?["earnings"])
    }

    func testATableBehindAnUnannouncedLimitCompletesWithNothingLostInBothBucketModels() async throws {
        for bucket in ["per-second", "continuous"] {
            let harness = try BackfillHarness(serverArguments: ["--bucket", bucket])
            try await harness.server.setFaults(["table_wcu": [harness.prefix + "earnings": 50]])
            let symbols = try harness.sampleData(assets: 6)
            try harness.register(symbols)
            let run = try harness.backfill(["--max-attempts", "1"])
            XCTAssertEqual(run.exitCode, 0, "\(bucket): throttling never fails a batch\n\(run.result.stderr)")
            let earnings = try earningsTotals(run)
            XCTAssertEqual(earnings["failed"] as? Int, 0, bucket)
            let stored = try harness.dump("earnings")
            XCTAssertEqual(stored.count, try expectedEarnings(harness, symbols), "\(bucket): no item lost")
            XCTAssertEqual(stored.count, earnings["written"] as? Int, "\(bucket): every item written exactly once")

            // Pollen learned the limit from DynamoDB's answers: a measure near the 50 units granted
            // (the continuous model grants its stored-up burst on top within a measured second, so
            // a measure may sit up to about a third above the rate).
            let changes = try harness.events(of: run, named: "rateChanged").filter { $0["table"] as? String == "earnings" }
            let learned = changes.compactMap { $0["estimatedLimit"] as? Double }
            let trace = changes.map { change in
                ["elapsed", "reason", "unitsPerSecond", "estimatedLimit"].map { "\(change[$0] ?? "-")" }.joined(separator: " ")
            }
            XCTAssertTrue(learned.contains { (40...(bucket == "continuous" ? 67 : 62)).contains($0) },
                          "\(bucket): learned \(learned); rate changes:\n\(trace.joined(separator: "\n"))")
            if (earnings["throttled"] as? Int ?? 0) > 0 {
                XCTAssertNotNil((earnings["throttleReasons"] as? [String: Int])?["TableWriteAccountLimitExceeded"],
                                "\(bucket): DynamoDB's reason reaches the summary: \(earnings)")
            }
            harness.server.stop()
        }
    }

    func testAnAnnouncedOnDemandMaximumIsPacedWithoutPushBack() async throws {
        let harness = try BackfillHarness(tableOptions: ["--max-wcu-on-demand", "60"])
        // Enough requests (about 220) for 2 % to be a share, not one or two: paced at exactly the
        // maximum, a request that reaches a busy server 0.1 s late is counted in the next of its
        // per-second windows, which may then refuse one (6 assets: 2 of 73 on CI, 2.7 %).
        let symbols = try harness.sampleData(assets: 18)
        try harness.register(symbols)
        let run = try harness.backfill()
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        let stats = try await harness.server.stats()
        let requests = (stats["requestsByOperation"] as? [String: Int])?["BatchWriteItem"] ?? 0
        let throttled = (stats["throttledByTable"] as? [String: Int])?.values.reduce(0, +) ?? 0
        XCTAssertLessThanOrEqual(Double(throttled), 0.02 * Double(requests), "\(throttled) of \(requests) throttled")
        let started = try harness.events(of: run, named: "runStarted").first
        let tables = try XCTUnwrap(started?["tables"] as? [[String: Any]])
        XCTAssertTrue(tables.allSatisfy { $0["maxOnDemandWCU"] as? Int == 60 }, "the maximum was read: \(tables)")
        XCTAssertTrue(tables.allSatisfy { $0["warmWCU"] as? Int == 4000 }, "and the warm throughput: \(tables)")
        let starts = try harness.events(of: run, named: "rateChanged").filter { $0["reason"] as? String == "start" }
        XCTAssertTrue(starts.allSatisfy { $0["unitsPerSecond"] as? Double == 60 }, "paced at the maximum from the start")
    }

    /// Writes a `symbol` whose balance sheet has `quarters` quarterly reports (one hot partition key).
    func writeHotAsset(_ symbol: String, quarters: Int, like template: String, in harness: BackfillHarness) throws {
        let source = URL(fileURLWithPath: harness.sourceDirectory)
        let folder = source.appendingPathComponent(symbol)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var payload = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf:
            source.appendingPathComponent(template).appendingPathComponent("BALANCE_SHEET.json"))) as? [String: Any])
        let report = try XCTUnwrap((payload["quarterlyReports"] as? [[String: Any]])?.first)
        let ends = ["03-31", "06-30", "09-30", "12-31"]
        payload["symbol"] = symbol
        payload["quarterlyReports"] = (0..<quarters).map { index -> [String: Any] in
            var copy = report
            copy["fiscalDateEnding"] = "\(2024 - index / 4)-\(ends[3 - index % 4])"
            return copy
        }
        try JSONSerialization.data(withJSONObject: payload).write(to: folder.appendingPathComponent("BALANCE_SHEET.json"))
        for function in ["OVERVIEW", "EARNINGS", "CASH_FLOW", "INCOME_STATEMENT"] {
            try Data("{}".utf8).write(to: folder.appendingPathComponent("\(function).json"))
        }
    }

    func testAHotKeyIsPacedAloneWhileTheOtherKeysGoOn() async throws {
        // Every key may take 60 units/s. A cold asset's balance sheet (25 items of up to 2 units)
        // fits in one second of its key; the hot asset's 605 items (about 600 units, ten seconds'
        // worth for its key) do not. The hot key gets a pacer of its own.
        let keyUnitsPerSecond = 60.0
        let harness = try BackfillHarness(serverArguments: ["--key-wcu", String(Int(keyUnitsPerSecond))])
        var symbols = try harness.sampleData(assets: 12)
        try writeHotAsset("HOTKEY", quarters: 600, like: symbols[0], in: harness)
        symbols.append("HOTKEY")
        try harness.register(symbols)
        let run = try harness.backfill(["--tables", "balanceSheet"])
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        XCTAssertEqual(try harness.dump("balanceSheet").count, 12 * 25 + 600 + 5, "nothing lost (and the template's 5 annual reports)")
        var firstSentUnits: [String: Double] = [:]
        for sent in try harness.events(of: run, named: "batchSent") where sent["attempt"] as? Int == 1 {
            firstSentUnits[sent["symbol"] as? String ?? "", default: 0] += sent["units"] as? Double ?? 0
        }
        let coldUnits = firstSentUnits.filter { $0.key != "HOTKEY" }.values.max() ?? .infinity
        XCTAssertLessThanOrEqual(coldUnits, keyUnitsPerSecond, "the premise: a cold asset fits in one second of its key")
        let hotUnits = try XCTUnwrap(firstSentUnits["HOTKEY"])
        let changes = try harness.events(of: run, named: "rateChanged")
        let hot = changes.filter { $0["symbol"] != nil }
        XCTAssertEqual(Set(hot.compactMap { $0["symbol"] as? String }), ["HOTKEY"], "only the hot key is paced alone")
        // Before the key is known hot, its unprocessed items (which carry no reason) may cut the
        // table once or twice, from what the whole table was granted: never down to the key's rate.
        let tableRates = changes.filter { $0["symbol"] == nil }.compactMap { $0["unitsPerSecond"] as? Double }
        XCTAssertGreaterThan(tableRates.min() ?? 0, 3 * keyUnitsPerSecond, "the table's rate did not collapse to the hot key's: \(tableRates)")
        let marks = try harness.events(of: run, named: "assetMarked")
        let coldDone = marks.filter { $0["symbol"] as? String != "HOTKEY" }.compactMap { $0["elapsed"] as? Double }.max() ?? 0
        let hotDone = marks.first { $0["symbol"] as? String == "HOTKEY" }?["elapsed"] as? Double ?? 0
        XCTAssertLessThan(coldDone, hotDone / 2, "the other keys finished long before the hot one (\(coldDone) s, \(hotDone) s)")
        XCTAssertGreaterThanOrEqual(hotDone, hotUnits / keyUnitsPerSecond - 1.5, "the hot key kept to its key's rate")
    }

    func testCapacityRaisedMidRunIsReadAndUsed() async throws {
        let harness = try BackfillHarness(provisionedWCU: 20)
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        let table = harness.prefix + "earnings"
        let raise = Task.detached {
            try await Task.sleep(for: .seconds(2))
            _ = try Boto3.run("""
                ddb.update_table(TableName=args["table"], ProvisionedThroughput={"ReadCapacityUnits": 100, "WriteCapacityUnits": 200})
                emit(True)
                """, endpoint: harness.server.endpoint, args: ["table": table])
        }
        let run = try harness.backfill(["--describe-interval", "1"])
        try await raise.value
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        let changes = try harness.events(of: run, named: "rateChanged")
            .filter { $0["table"] as? String == "earnings" && $0["reason"] as? String == "capacity changed" }
        XCTAssertEqual(changes.first?["unitsPerSecond"] as? Double, 200, "the new WCU was read and used: \(changes)")
    }

    func testMaxAttemptsOneFailsBatchesOnErrorsAndRerunCompletesThem() async throws {
        let harness = try BackfillHarness(serverArguments: ["--seed", "3"])
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        try await harness.server.setFaults(["error_rate": 0.3])
        let first = try harness.backfill(["--max-attempts", "1", "--tables", "earnings"], runName: "first")
        try await harness.server.setFaults(["error_rate": 0])
        XCTAssertEqual(first.exitCode, 2, first.result.stderr)
        let report = try XCTUnwrap(first.report)
        let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
        var failedKeys = 0
        for (_, asset) in assets {
            let pairs = asset["tables"] as! [String: [String: Any]]
            for (_, pair) in pairs where pair["state"] as? String == "failed" {
                for batch in pair["failedBatches"] as? [[String: Any]] ?? [] {
                    XCTAssertTrue((batch["error"] as? String)?.contains("InternalServerError") ?? false, "\(batch)")
                    failedKeys += (batch["keys"] as? [String])?.count ?? 0
                }
            }
        }
        XCTAssertGreaterThan(failedKeys, 0, "with one attempt, batches that met an error fail")
        let written = try harness.dump("earnings").count

        // A lease the first run could not give up (its release met an error too, at one
        // attempt) is the re-run's own: it holds no failed pair off. Planted on every row, live.
        let firstRun = try XCTUnwrap(report["runId"] as? String)
        _ = try Boto3.run("""
            import time
            for symbol in args["symbols"]:
                ddb.update_item(TableName=args["table"], Key={"symbol": {"S": symbol}},
                                UpdateExpression="SET leaseEarnings = :lease",
                                ExpressionAttributeValues={":lease": {"M": {"runId": {"S": args["run"]}, "host": {"S": "elsewhere"},
                                                                            "expiresAt": {"N": str(time.time() + 600)}}}})
            emit(True)
            """, endpoint: harness.server.endpoint, args: ["table": harness.prefix + "assets", "symbols": symbols, "run": firstRun])

        let rerun = try harness.pollen(["backfill", "--rerun", first.runDirectory + "/report.json", "--ui", "json",
                                        "--run-dir", harness.runsDirectory + "/rerun"])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stderr)
        XCTAssertEqual(try harness.dump("earnings").count, written + failedKeys, "the re-run wrote exactly what had failed")
        XCTAssertEqual(try harness.dump("earnings").count, try expectedEarnings(harness, symbols))
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(XCTUnwrap(rerun.stdout.split(separator: "\n").last).utf8))
            as? [String: Any])
        XCTAssertNil(summary["heldByOtherRuns"], "no asset was left to the run it re-ran")
    }
}
