import Foundation
import PollenTestSupport
import XCTest

/// `--source alphavantage` against a local fake Alpha Vantage that also answers with rate
/// limits, errors, `{}`, HTTP 500 and slow responses.
final class LiveSourceTests: XCTestCase {
    static let apiKey = "AVKEYpollenTestDoNotLeak42"

    func testLiveRunFillsTablesReportsFailuresHonoursTheBudgetAndCachesForRepeats() async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 4)  // the fake API's data
        try harness.register(symbols)
        let script: [String: [String]] = [
            "\(symbols[0])/EARNINGS": ["information", "ok"],
            "\(symbols[0])/INCOME_STATEMENT": ["slow:1200"],
            "\(symbols[1])/CASH_FLOW": ["error"],
            "\(symbols[2])/OVERVIEW": ["empty"],
            "\(symbols[3])/BALANCE_SHEET": ["500", "ok"],
            "\(symbols[3])/EARNINGS": ["note"],
        ]
        let scriptJSON = String(decoding: try JSONSerialization.data(withJSONObject: script), as: UTF8.self)
        let fake = try PythonServer(script: "Tests/PollenTestSupport/Python/fake_alphavantage.py",
                                    arguments: [harness.sourceDirectory, Self.apiKey, scriptJSON], port: 0)
        defer { fake.stop() }
        let cache = harness.workspace.path + "/cache"
        let runDirectory = harness.runsDirectory + "/live"
        let rpm = 240.0
        let run = try harness.pollen(
            ["backfill", "--source", "alphavantage", "--symbols", symbols.joined(separator: ","), "--fetch-rpm", String(rpm),
             "--cache", cache, "--ui", "json", "--run-dir", runDirectory],
            environment: ["ALPHAVANTAGE_API_KEY": Self.apiKey, "ALPHAVANTAGE_BASE_URL": "http://127.0.0.1:\(fake.port)/query"])
        XCTAssertEqual(run.exitCode, 2, run.stderr)
        // Fetch progress reaches the output: failed fetches as events, the totals in progress lines.
        let lines = run.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let failedFetches = lines.filter { $0["event"] as? String == "fetch" && $0["outcome"] as? String == "failed" }
        XCTAssertEqual(Set(failedFetches.compactMap { $0["symbol"] as? String }), [symbols[1], symbols[3]])
        let lastFetch = lines.last { ($0["fetch"] as? [String: Any]) != nil }?["fetch"] as? [String: Any]
        XCTAssertEqual(lastFetch?["budgetPerMinute"] as? Double, rpm)
        XCTAssertEqual(lastFetch?["errors"] as? Int, 2)

        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            runDirectory + "/report.json"))) as? [String: Any])
        XCTAssertEqual(report["source"] as? String, "alphavantage")
        let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
        func pair(_ symbol: String, _ table: String) -> [String: Any] {
            (assets[symbol]?["tables"] as? [String: [String: Any]])?[table] ?? [:]
        }
        XCTAssertEqual(pair(symbols[0], "earnings")["state"] as? String, "ok", "a rate limit is retried within the budget")
        XCTAssertEqual(pair(symbols[0], "incomeStatement")["state"] as? String, "ok", "a slow answer is waited for")
        XCTAssertEqual(pair(symbols[1], "cashFlow")["state"] as? String, "failed")
        XCTAssertTrue((pair(symbols[1], "cashFlow")["reason"] as? String)?.contains("Invalid API call") ?? false,
                      "\(pair(symbols[1], "cashFlow"))")
        XCTAssertEqual(pair(symbols[2], "companyOverview")["state"] as? String, "nodata")
        XCTAssertEqual(assets[symbols[2]]?["status"] as? String, "COMPLETE", "no data does not make an asset partial")
        XCTAssertEqual(pair(symbols[3], "balanceSheet")["state"] as? String, "ok", "HTTP 500 is retried")
        XCTAssertEqual(pair(symbols[3], "earnings")["state"] as? String, "failed")
        XCTAssertTrue((pair(symbols[3], "earnings")["reason"] as? String)?.contains("rate limit") ?? false,
                      "\(pair(symbols[3], "earnings"))")

        // The fake's log: the budget held, and the key went only in the query string.
        let log = try await fetchLog(port: fake.port)
        XCTAssertGreaterThanOrEqual(log.count, 20 + 1 + 1 + 2)
        let times = log.compactMap { $0["time"] as? Double }.sorted()
        let interval = 60 / rpm
        for (earlier, later) in zip(times, times.dropFirst()) {
            XCTAssertGreaterThanOrEqual(later - earlier, interval * 0.9, "requests closer than the budget allows")
        }
        for window in times.indices {
            XCTAssertLessThanOrEqual(times[window...].prefix { $0 < times[window] + 60 }.count, Int(rpm))
        }
        XCTAssertTrue(log.allSatisfy { $0["keyInQuery"] as? Bool == true })
        XCTAssertTrue(log.allSatisfy { $0["keyElsewhere"] as? Bool == false })
        var everything = run.output
        for file in try FileManager.default.subpathsOfDirectory(atPath: runDirectory) {
            everything += (try? String(contentsOfFile: runDirectory + "/" + file, encoding: .utf8)) ?? ""
        }
        for file in try FileManager.default.subpathsOfDirectory(atPath: cache) {
            everything += (try? String(contentsOfFile: cache + "/" + file, encoding: .utf8)) ?? ""
        }
        XCTAssertFalse(everything.contains(Self.apiKey), "the API key leaked into output, report, journal, events or cache")

        // The cache repeats the run without fetching: the same tables.
        let repeatHarness = try BackfillHarness(server: harness.server)
        try repeatHarness.register(symbols)
        let repeated = try repeatHarness.pollen(["backfill", "--source", cache, "--ui", "json",
                                                 "--run-dir", repeatHarness.runsDirectory + "/repeat"])
        XCTAssertEqual(repeated.exitCode, 2)
        let requestsAfterRepeat = try await fetchLog(port: fake.port).count
        XCTAssertEqual(requestsAfterRepeat, log.count, "the repeat fetched nothing")
        for table in ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            XCTAssertEqual(NSDictionary(dictionary: try harness.dump(table)),
                           NSDictionary(dictionary: try repeatHarness.dump(table)), table)
        }
    }

    func testMissingKeyIsOneClearSentence() throws {
        let harness = try BackfillHarness()
        let result = try harness.pollen(["backfill", "--source", "alphavantage", "--symbols", "IBM"],
                                        environment: ["ALPHAVANTAGE_API_KEY": nil])
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, "pollen: ALPHAVANTAGE_API_KEY is not set: the live source needs an Alpha Vantage API key.\n")
        let noSelection = try harness.pollen(["backfill", "--source", "alphavantage"])
        XCTAssertEqual(noSelection.exitCode, 64)
    }

    func fetchLog(port: Int) async throws -> [[String: Any]] {
        let response = try await CurlTransportForTests.get("http://127.0.0.1:\(port)/_log")
        return try JSONSerialization.jsonObject(with: response) as? [[String: Any]] ?? []
    }
}
