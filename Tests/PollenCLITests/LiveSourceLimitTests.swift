import Foundation
import PollenTestSupport
import XCTest

/// The live source under Alpha Vantage's real limits, against the fake API answering each real
/// body: the daily limit (stop at once, leave never-fetched assets untouched, pick them up the
/// next day), an invalid key (fatal at the first answer), premium-only, burst and `Note`
/// notices, and the daily budget counted across runs. Request counts come from the fake's log.
final class LiveSourceLimitTests: XCTestCase {
    static let apiKey = "AVKEYlimitsTestDoNotLeak77"

    struct Live {
        let harness: BackfillHarness
        let fake: PythonServer
        let symbols: [String]

        func run(_ extra: [String], key: String = LiveSourceLimitTests.apiKey, day: String = "2026-12-01",
                 name: String = UUID().uuidString) throws -> ProcessResult {
            try harness.pollen(["backfill", "--source", "alphavantage", "--fetch-rpm", "600", "--ui", "plain",
                                "--run-dir", harness.runsDirectory + "/" + name] + extra,
                               environment: ["ALPHAVANTAGE_API_KEY": key, "POLLEN_FAKE_TODAY": day,
                                             "ALPHAVANTAGE_BASE_URL": "http://127.0.0.1:\(fake.port)/query"])
        }

        func log() async throws -> [[String: Any]] {
            let data = try await CurlTransportForTests.get("http://127.0.0.1:\(fake.port)/_log")
            return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        }
    }

    /// Sample data for `assets` assets, registered, and the fake API over it answering `script(symbols)`.
    func start(assets: Int, dailyLimit: Int? = nil, script: ([String]) -> [String: [String]] = { _ in [:] }) throws -> Live {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: assets)
        try harness.register(symbols)
        let scriptJSON = String(decoding: try JSONSerialization.data(withJSONObject: script(symbols)), as: UTF8.self)
        let fake = try PythonServer(script: "Tests/PollenTestSupport/Python/fake_alphavantage.py",
                                    arguments: [harness.sourceDirectory, Self.apiKey, scriptJSON] + (dailyLimit.map { [String($0)] } ?? []),
                                    port: 0)
        return Live(harness: harness, fake: fake, symbols: symbols)
    }

    func testTheDailyLimitStopsFetchingLeavesTheRestUntouchedAndTheNextDayCompletesThem() async throws {
        let live = try start(assets: 8, dailyLimit: 12)
        defer { live.fake.stop() }
        let before = try live.symbols.map { try XCTUnwrap(try live.harness.assetRow($0)) as NSDictionary }
        let started = Date()
        let first = try live.run(["--symbols", live.symbols.joined(separator: ","), "--fetch-per-day", "0"])
        XCTAssertEqual(first.exitCode, 2, first.stderr)
        let log = try await live.log()
        let firstLimit = try XCTUnwrap(log.firstIndex { $0["answer"] as? String == "daily" })
        XCTAssertLessThanOrEqual(log.count - firstLimit - 1, 3, "requests after the first daily-limit answer")
        let limitTime = try XCTUnwrap(log[firstLimit]["time"] as? Double)
        let lastTime = try XCTUnwrap(log.last?["time"] as? Double)
        XCTAssertLessThan(lastTime - limitTime, 20)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        XCTAssertTrue(first.stderr.contains("fetching stopped: Alpha Vantage daily limit"), first.stderr)
        XCTAssertTrue(first.stdout.contains("not fetched: the API key's daily limit was reached after 12 requests"), first.stdout)

        // 12 requests fetch two whole assets and two payloads of the third; the other five are never fetched.
        for (symbol, row) in zip(live.symbols, before).suffix(5) {
            XCTAssertEqual(try XCTUnwrap(try live.harness.assetRow(symbol)) as NSDictionary, row, "\(symbol)'s row is unchanged")
            XCTAssertTrue(first.stdout.contains("  \(symbol)  NOT FETCHED  not fetched: the API key's daily limit"), first.stdout)
        }
        for symbol in live.symbols.prefix(2) {
            XCTAssertEqual((try live.harness.assetRow(symbol)?["pollenationStatus"] as? [String: String])?["S"], "COMPLETE")
        }
        XCTAssertFalse(first.output.contains(Self.apiKey))

        // The next day (a new day on the fake, a later UTC day for pollen) picks up what is left.
        _ = try await CurlTransportForTests.post("http://127.0.0.1:\(live.fake.port)/_reset?limit=100")
        let second = try live.run(["--stale-days", "1", "--fetch-per-day", "0"], day: "2026-12-02")
        XCTAssertEqual(second.exitCode, 0, second.stdout + second.stderr)
        for symbol in live.symbols {
            XCTAssertEqual((try live.harness.assetRow(symbol)?["pollenationStatus"] as? [String: String])?["S"], "COMPLETE",
                           symbol)
        }
        let secondLog = try await live.log()
        XCTAssertEqual(secondLog.count - log.count, 6 * 5, "the third asset again, and the five never fetched")
    }

    func testAnInvalidKeyIsFatalAtTheFirstAnswer() async throws {
        let live = try start(assets: 8)
        defer { live.fake.stop() }
        let wrongKey = "AVKEYwrongButSecret99"
        let before = try live.symbols.map { try XCTUnwrap(try live.harness.assetRow($0)) as NSDictionary }
        let run = try live.run(["--symbols", live.symbols.joined(separator: ",")], key: wrongKey)
        XCTAssertEqual(run.exitCode, 1, run.output)
        let log = try await live.log()
        XCTAssertLessThanOrEqual(log.count, 5, "requests sent with a refused key")
        XCTAssertTrue(run.output.contains("Alpha Vantage refused the API key (ALPHAVANTAGE_API_KEY): it is invalid, missing or the demo key."),
                      run.output)
        XCTAssertFalse(run.output.contains(wrongKey), "the key was printed: \(run.output)")
        var files = ""
        let directory = live.harness.runsDirectory
        for file in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            files += (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
        }
        XCTAssertFalse(files.contains(wrongKey), "the key reached the run's files (the fake echoes the request URL)")
        for (symbol, row) in zip(live.symbols, before) {
            XCTAssertEqual(try XCTUnwrap(try live.harness.assetRow(symbol)) as NSDictionary, row, "\(symbol) untouched")
        }
    }

    func testTwoRunsOnOneDayShareTheDailyBudget() async throws {
        let live = try start(assets: 8)
        defer { live.fake.stop() }
        let symbols = live.symbols.joined(separator: ",")
        let first = try live.run(["--symbols", symbols, "--fetch-per-day", "20"])
        XCTAssertEqual(first.exitCode, 2, first.output)
        XCTAssertTrue(first.stdout.contains("the daily budget of 20 requests (--fetch-per-day) was used up"), first.stdout)
        let second = try live.run(["--symbols", symbols, "--fetch-per-day", "20"])
        XCTAssertEqual(second.exitCode, 1, "nothing left today: nothing written: \(second.output)")
        let log = try await live.log()
        XCTAssertEqual(log.count, 20, "two runs on one day send 20 requests in total, not 40")
        let dryRun = try live.run(["--symbols", symbols, "--fetch-per-day", "20", "--dry-run"])
        XCTAssertEqual(dryRun.exitCode, 2)
        XCTAssertTrue(dryRun.stdout.contains("40 Alpha Vantage requests"), dryRun.stdout)
        XCTAssertTrue(dryRun.stdout.contains("does not cover them: 0 of 20 requests left"), dryRun.stdout)
        let tomorrow = try live.run(["--symbols", symbols, "--fetch-per-day", "40", "--dry-run"], day: "2026-12-02")
        XCTAssertEqual(tomorrow.exitCode, 0)
        XCTAssertTrue(tomorrow.stdout.contains("covers them: 40 of 40 requests left"), tomorrow.stdout)
        let afterDryRuns = try await live.log().count
        XCTAssertEqual(afterDryRuns, 20, "a dry run fetches nothing")
    }

    func testPremiumOnlyFailsAtOnceAndBurstAndNoteAreRetried() async throws {
        let live = try start(assets: 2) { symbols in
            ["\(symbols[0])/EARNINGS": ["premium"], "\(symbols[0])/OVERVIEW": ["burst", "ok"],
             "\(symbols[1])/CASH_FLOW": ["note", "ok"], "\(symbols[1])/EARNINGS": ["information", "ok"]]
        }
        defer { live.fake.stop() }
        let (a, b) = (live.symbols[0], live.symbols[1])
        let run = try live.run(["--symbols", "\(a),\(b)"], name: "notices")
        XCTAssertEqual(run.exitCode, 2, run.output)
        let log = try await live.log()
        func requests(_ symbol: String, _ function: String) -> Int {
            log.filter { $0["symbol"] as? String == symbol && $0["function"] as? String == function }.count
        }
        XCTAssertEqual(requests(a, "EARNINGS"), 1, "premium-only is not retried")
        XCTAssertEqual(requests(a, "OVERVIEW"), 2, "a burst limit is retried")
        XCTAssertEqual(requests(b, "CASH_FLOW"), 2, "a Note is retried")
        XCTAssertEqual(requests(b, "EARNINGS"), 2, "an unknown notice is retried")
        XCTAssertEqual(log.count, 10 + 3)
        XCTAssertTrue(run.stdout.contains("earnings: EARNINGS needs a premium Alpha Vantage plan"), run.stdout)
        let events = try String(contentsOfFile: live.harness.runsDirectory + "/notices/events.jsonl", encoding: .utf8)
        XCTAssertTrue(events.contains("Alpha Vantage notice: Thank you for using Alpha Vantage! This is a notice of a kind Pollen has not seen"),
                      "unknown notices are logged with their text")
    }
}
