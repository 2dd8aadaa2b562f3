import Foundation
import PollenTestSupport
import XCTest

/// The fault matrix: throttle storms, 10% and 30% InternalServerError, latency spikes,
/// connections reset after the write, a table deleted mid-run, credentials expiring mid-run.
/// Each run is compared item by item (boto3) with an undisturbed run of the same data:
/// nothing lost, nothing written twice with other content, every failure reported with a reason.
final class FaultMatrixTests: XCTestCase {
    static let tables = ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"]
    nonisolated(unsafe) static var reference: BackfillHarness!
    nonisolated(unsafe) static var expected: [String: [String: [String: Any]]] = [:]
    nonisolated(unsafe) static var symbols: [String] = []

    override class func setUp() {
        reference = try! BackfillHarness()
        symbols = try! reference.sampleData(assets: 6)
        try! reference.register(symbols)
        precondition(try! reference.backfill().exitCode == 0)
        expected = try! dumpAll(reference)
    }

    override class func tearDown() {
        reference.server.stop()
    }

    static func dumpAll(_ harness: BackfillHarness) throws -> [String: [String: [String: Any]]] {
        try Dictionary(uniqueKeysWithValues: tables.map { ($0, try harness.dump($0)) })
    }

    /// A fresh set of tables on the shared server, with the same sample data and asset rows.
    func freshHarness() throws -> BackfillHarness {
        let harness = try BackfillHarness(server: Self.reference.server)
        XCTAssertEqual(try harness.sampleData(assets: 6), Self.symbols)
        try harness.register(Self.symbols)
        return harness
    }

    func assertTablesEqualReference(_ harness: BackfillHarness, except skipped: Set<String> = [],
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        for table in Self.tables where !skipped.contains(table) {
            XCTAssertEqual(NSDictionary(dictionary: try harness.dump(table)), NSDictionary(dictionary: Self.expected[table]!),
                           "\(table) differs from the undisturbed run", file: file, line: line)
        }
    }

    /// Starts a backfill, runs `disturb` once the journal shows `acks` acknowledged batches,
    /// and returns the exit code when the run ends.
    func runDisturbed(_ harness: BackfillHarness, extra: [String] = [], afterAcks acks: Int = 3,
                      disturb: () async throws -> Void) async throws -> (code: Int32, runDirectory: String) {
        let runDirectory = harness.runsDirectory + "/" + UUID().uuidString
        let process = try harness.startPollen(["backfill", "--source", harness.sourceDirectory, "--ui", "json",
                                               "--run-dir", runDirectory, "--concurrency", "4"] + extra)
        harness.waitForAcknowledgements(in: runDirectory + "/journal", moreThan: acks - 1, of: process)
        XCTAssertTrue(process.isRunning, "the run ended before it could be disturbed")
        try await disturb()
        while process.isRunning { usleep(10_000) }
        return (process.terminationStatus, runDirectory)
    }

    func report(_ runDirectory: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: runDirectory + "/report.json")))
            as? [String: Any])
    }

    func testThrottleStorm() async throws {
        let harness = try freshHarness()
        let server = harness.server
        let storm = [harness.prefix + "earnings": 5, harness.prefix + "balanceSheet": 5]
        let (code, runDirectory) = try await runDisturbed(harness) {
            try await server.setFaults(["table_wcu": storm])
            try await Task.sleep(for: .seconds(3))
            try await server.removeTableLimits(Array(storm.keys))
        }
        XCTAssertEqual(code, 0)
        let throttled = (try report(runDirectory)["tables"] as? [String: [String: Any]])?.values
            .reduce(0) { $0 + ($1["throttled"] as? Int ?? 0) + ($1["unprocessed"] as? Int ?? 0) }
        XCTAssertGreaterThan(throttled ?? 0, 0, "the storm pushed back")
        try assertTablesEqualReference(harness)
    }

    func testTenAndThirtyPercentInternalServerErrors() async throws {
        for (rate, attempts) in [(0.1, "6"), (0.3, "12")] {
            let harness = try freshHarness()
            try await harness.server.setFaults(["error_rate": rate, "seed": 3])
            let run = try harness.backfill(["--max-attempts", attempts])
            try await harness.server.setFaults(["error_rate": 0])
            XCTAssertEqual(run.exitCode, 0, "\(rate): \(run.result.stderr)")
            try assertTablesEqualReference(harness)
        }
    }

    func testLatencySpikes() async throws {
        let harness = try freshHarness()
        let server = harness.server
        let (code, _) = try await runDisturbed(harness) {
            try await server.setFaults(["latency_ms": 700, "latency_jitter_ms": 500])
            try await Task.sleep(for: .seconds(3))
            try await server.setFaults(["latency_ms": 0, "latency_jitter_ms": 0])
        }
        XCTAssertEqual(code, 0)
        try assertTablesEqualReference(harness)
    }

    func testConnectionsResetAfterTheWrite() async throws {
        let harness = try freshHarness()
        try await harness.server.setFaults(["reset_rate": 0.15, "seed": 5])
        let run = try harness.backfill(["--max-attempts", "8"])
        try await harness.server.setFaults(["reset_rate": 0])
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        try assertTablesEqualReference(harness)
    }

    func testATableDeletedMidRunFailsOnlyThatTableWithItsReason() async throws {
        let harness = try freshHarness()
        let endpoint = harness.server.endpoint
        let cashFlow = harness.prefix + "cashFlow"
        let (code, runDirectory) = try await runDisturbed(harness, extra: ["--concurrency", "1"], afterAcks: 2) {
            _ = try Boto3.run("ddb.delete_table(TableName=args); emit(True)", endpoint: endpoint, args: cashFlow)
        }
        XCTAssertEqual(code, 2)
        let assets = try XCTUnwrap(try report(runDirectory)["assets"] as? [String: [String: Any]])
        var failedCashFlow = 0
        for (_, asset) in assets {
            let pairs = try XCTUnwrap(asset["tables"] as? [String: [String: Any]])
            for (table, pair) in pairs where pair["state"] as? String == "failed" {
                XCTAssertEqual(table, "cashFlow")
                let reason = pair["reason"] as? String ?? ""
                XCTAssertTrue(reason.contains("ResourceNotFoundException") || reason.contains("does not exist"), reason)
                failedCashFlow += 1
            }
        }
        XCTAssertGreaterThan(failedCashFlow, 0)
        try assertTablesEqualReference(harness, except: ["cashFlow"])
    }

    func testExpiredCredentialsStopTheRunWhichResumesOnceRenewed() async throws {
        let harness = try freshHarness()
        let server = harness.server
        let (code, runDirectory) = try await runDisturbed(harness) {
            try await server.setFaults(["expired_credentials": true])
        }
        try await server.setFaults(["expired_credentials": false])
        XCTAssertEqual(code, 1)
        let fatal = try report(runDirectory)["fatalError"] as? String ?? ""
        XCTAssertTrue(fatal.contains("ExpiredTokenException"), fatal)
        let resumed = try harness.pollen(["backfill", "--resume", runDirectory + "/journal", "--ui", "json"])
        XCTAssertEqual(resumed.exitCode, 0, resumed.stderr)
        try assertTablesEqualReference(harness)
    }
}
