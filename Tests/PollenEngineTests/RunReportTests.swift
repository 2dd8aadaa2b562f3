import Foundation
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// `report.json`: written atomically, read back for `--rerun`, and the failed pairs in it.
final class RunReportTests: XCTestCase {
    static func pair(_ state: TableState, failedKeys: [String] = []) -> RunReport.PairReport {
        RunReport.PairReport(
            state: state, reason: state == .failed ? "1 of 4 items not written: throttled" : nil, items: 4,
            written: 4 - failedKeys.count, alreadyWritten: 0, failed: failedKeys.count,
            rejected: [RecordRejection(record: "annual#2023-12-31", reason: "field x is a number DynamoDB cannot store")],
            duplicates: ["quarterly#2024-03-31"],
            failedBatches: failedKeys.isEmpty ? [] : [RunReport.FailedBatch(keys: failedKeys, attempts: 3, error: "throttled")],
            retries: 2, throttled: 3, unprocessed: 1, consumedUnits: 4.5, durationSeconds: 0.25)
    }

    static func report() -> RunReport {
        RunReport(
            runId: "20260101T000000Z-00ff", status: .partial, exitCode: 2, startedAt: "2026-01-01T00:00:00Z",
            finishedAt: "2026-01-01T00:01:00Z", elapsedSeconds: 60.5, endpoint: "http://127.0.0.1:8000", region: "us-east-1",
            tablePrefix: "dev_", source: "/data/av", resumedFrom: nil, interrupted: false, fatalError: nil,
            runDirectory: "/runs/x", journal: "/runs/x/journal", events: "/runs/x/events.jsonl",
            tables: ["earnings": RunSummary.TableTotals(written: 7, failed: 1, rejected: 1, duplicates: 1, retries: 2, throttled: 3,
                                                        unprocessed: 1, consumedUnits: 4.5)],
            assets: [
                "MSFT": RunReport.AssetReport(status: .partial, lastPollenationDate: nil, confirmed: true, markError: nil,
                                              durationSeconds: 2, tables: ["earnings": pair(.failed, failedKeys: ["annual#2020-12-31"]),
                                                                           "cashFlow": pair(.ok), "incomeStatement": pair(.failed),
                                                                           "balanceSheet": pair(.nodata)]),
                "AAPL": RunReport.AssetReport(status: .complete, lastPollenationDate: "2026-01-01T00:00:30Z", confirmed: true,
                                              markError: nil, durationSeconds: 1, tables: ["earnings": pair(.ok)]),
                "IBM": RunReport.AssetReport(status: .failed, lastPollenationDate: nil, confirmed: false,
                                             markError: "asset not registered", durationSeconds: 1,
                                             tables: ["companyOverview": pair(.failed)]),
            ],
            alerts: [Alert(name: .throttleRate, message: "throttled requests above 20%", value: 25, threshold: 20, active: true)])
    }

    func testWriteAndReadBack() throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("deep/run/report.json").path
        let original = Self.report()
        try original.write(to: path)
        let read = try RunReport.read(path: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(String(decoding: try encoder.encode(read), as: UTF8.self),
                       String(decoding: try encoder.encode(original), as: UTF8.self))
        XCTAssertEqual(read.assets["MSFT"]?.tables["earnings"]?.failedBatches, [RunReport.FailedBatch(keys: ["annual#2020-12-31"],
                                                                                                    attempts: 3, error: "throttled")])
        XCTAssertEqual(read.assets["IBM"]?.markError, "asset not registered")
        XCTAssertEqual(read.tables["earnings"]?.throttled, 3)
        XCTAssertEqual(read.alerts.first?.name, .throttleRate)
        // Overwriting leaves no temporary files behind.
        try original.write(to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.url.appendingPathComponent("deep/run").path),
                       ["report.json"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"endpoint\" : \"http://127.0.0.1:8000\""), "slashes unescaped, pretty printed")
    }

    func testWrittenAnAssetAtATimeWithTheBytesOfOneEncoding() throws {
        let directory = TemporaryDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var reports = [Self.report()]
        var empty = Self.report()
        empty.assets = [:]
        reports.append(empty)
        var one = Self.report()
        one.assets = ["IBM": one.assets["IBM"]!]
        reports.append(one)
        for (index, report) in reports.enumerated() {
            let path = directory.url.appendingPathComponent("report-\(index).json").path
            try report.write(to: path)
            XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self),
                           String(decoding: try encoder.encode(report), as: UTF8.self), "\(report.assets.count) assets")
        }
    }

    func testAReportThatCannotBeWrittenThrows() throws {
        let directory = TemporaryDirectory()
        let blocker = try directory.write("a file, not a folder", to: "runs")
        XCTAssertThrowsError(try Self.report().write(to: blocker + "/report.json"))
        XCTAssertEqual(try String(contentsOfFile: blocker, encoding: .utf8), "a file, not a folder", "nothing overwritten")
    }

    func testFailedPairs() {
        let plan = Self.report().failedPairs
        XCTAssertEqual(plan.units, [WorkPlan.Unit(symbol: "IBM", tables: [.companyOverview]),
                                    WorkPlan.Unit(symbol: "MSFT", tables: [.earnings, .incomeStatement])],
                       "only failed pairs, symbols sorted, tables in table order; complete assets left out")
        var clean = Self.report()
        clean.assets = ["AAPL": clean.assets["AAPL"]!]
        XCTAssertTrue(clean.failedPairs.units.isEmpty)
    }

    func testReadingSomethingElse() throws {
        let directory = TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("none.json").path
        XCTAssertThrowsError(try RunReport.read(path: missing)) { error in
            XCTAssertEqual(error as? ReportError, .unreadable(path: missing))
        }
        let other = try directory.write(#"{"hello": "world"}"#, to: "other.json")
        XCTAssertThrowsError(try RunReport.read(path: other)) { error in
            XCTAssertEqual(error as? ReportError, .notAReport(path: other))
        }
    }
}
