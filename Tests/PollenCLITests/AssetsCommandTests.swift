import Foundation
import PollenTestSupport
import XCTest

/// `pollen assets add|list` and the `--stale-days` selection, on a seeded `assets` table.
final class AssetsCommandTests: XCTestCase {
    func testAddRegistersOnceAndNeverOverwrites() throws {
        let harness = try BackfillHarness()
        let added = try harness.pollen(["assets", "add", "ibm", "MSFT"])
        XCTAssertEqual(added.exitCode, 0, added.output)
        XCTAssertTrue(added.stdout.contains("registered  IBM"))
        _ = try Boto3.run("""
            ddb.update_item(TableName=args, Key={"symbol": {"S": "IBM"}}, UpdateExpression="SET lastPollenationDate = :d",
                            ExpressionAttributeValues={":d": {"S": "2026-01-01T00:00:00Z"}})
            emit(True)
            """, endpoint: harness.server.endpoint, args: harness.prefix + "assets")
        let again = try harness.pollen(["assets", "add", "IBM"])
        XCTAssertTrue(again.stdout.contains("exists      IBM  (left unchanged)"), again.stdout)
        XCTAssertEqual((try harness.assetRow("IBM")?["lastPollenationDate"] as? [String: String])?["S"], "2026-01-01T00:00:00Z")
        XCTAssertEqual(try harness.pollen(["assets", "add", "not a symbol!"]).exitCode, 64)
    }

    /// `assets add` and `assets list` gave up on the first HTTP 500.
    func testAddAndListRetryAServerError() async throws {
        let harness = try BackfillHarness()
        try await harness.server.setFaults(["fail_next": 2])
        let added = try harness.pollen(["assets", "add", "IBM"])
        XCTAssertEqual(added.exitCode, 0, added.output)
        XCTAssertTrue(added.stdout.contains("registered  IBM"), added.stdout)
        XCTAssertNotNil(try harness.assetRow("IBM"))
        try await harness.server.setFaults(["fail_next": 2])
        let listed = try harness.pollen(["assets", "list"])
        XCTAssertEqual(listed.exitCode, 0, listed.output)
        XCTAssertTrue(listed.stdout.contains("IBM"), listed.stdout)
    }

    func testStaleDaysSelectsExactlyTheRightAssets() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        let now = Date()
        func iso(_ daysAgo: Double) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: now.addingTimeInterval(-daysAgo * 86_400))
        }
        // symbols[0]: never pollinated; [1]: 30 days; [2]: 8 days; [3]: 6 days; [4]: 1 hour; [5]: 7 days + 1 minute.
        let dates: [String: String] = [symbols[1]: iso(30), symbols[2]: iso(8), symbols[3]: iso(6), symbols[4]: iso(1.0 / 24),
                                       symbols[5]: iso(7 + 1.0 / 1440)]
        _ = try Boto3.run("""
            for symbol, date in args["dates"].items():
                ddb.update_item(TableName=args["table"], Key={"symbol": {"S": symbol}},
                                UpdateExpression="SET lastPollenationDate = :d", ExpressionAttributeValues={":d": {"S": date}})
            emit(True)
            """, endpoint: harness.server.endpoint, args: ["table": harness.prefix + "assets", "dates": dates])
        let expected = Set([symbols[0], symbols[1], symbols[2], symbols[5]])

        let listed = try harness.pollen(["assets", "list", "--stale-days", "7", "--json"])
        XCTAssertEqual(listed.exitCode, 0, listed.output)
        let rows = listed.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(Set(rows.compactMap { $0["symbol"] as? String }), expected)

        let all = try harness.pollen(["assets", "list"])
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 7, all.stdout)

        let run = try harness.backfill(["--stale-days", "7"])
        XCTAssertEqual(run.exitCode, 0, run.result.stderr)
        XCTAssertEqual(Set((run.summary?["assets"] as? [String: Any])?.keys.map { $0 } ?? []), expected)
        XCTAssertEqual(try harness.pollen(["assets", "list", "--stale-days", "7", "--json"]).stdout, "",
                       "after the backfill nothing is stale")
    }
}
