import Foundation
import PollenTestSupport
import XCTest

/// Two runs writing different tables of the same assets at once, with 40 ms of latency so
/// that their marks interleave: every row ends with both runs' table states (a read-modify-
/// write without a condition lost one side in 4 of 5 repetitions), twenty times out of twenty.
final class ConcurrentMarkTests: XCTestCase {
    func testTwoRunsMarkingTheSameAssetsAtOnceBothLand() async throws {
        let server = try LocalDynamoDB()
        defer { server.stop() }
        try await server.setFaults(["latency_ms": 40])
        let first = try BackfillHarness(server: server)
        let symbols = try first.sampleData(assets: 5)
        let rowsSnippet = """
            rows = {}
            for item in ddb.scan(TableName=args, ConsistentRead=True)["Items"]:
                rows[item["symbol"]["S"]] = {
                    "status": item.get("pollenationStatus", {}).get("S"),
                    "date": item.get("lastPollenationDate", {}).get("S"),
                    "tables": {k: v["S"] for k, v in item.get("pollenationTables", {}).get("M", {}).items()},
                }
            emit(rows)
            """
        let everyTable = ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"]
        var whole = 0
        for repetition in 1...20 {
            let harness = repetition == 1 ? first : try BackfillHarness(server: server)
            try harness.register(symbols)
            let runs = [["earnings", "cashFlow", "companyOverview"], ["balanceSheet", "incomeStatement"]].map { tables in
                (tables, harness.runsDirectory + "/\(tables[0])")
            }
            let processes = try runs.map { tables, directory in
                try harness.startPollen(["backfill", "--source", first.sourceDirectory, "--tables", tables.joined(separator: ","),
                                         "--ui", "json", "--run-dir", directory])
            }
            for process in processes { process.waitUntilExit() }
            XCTAssertEqual(processes.map(\.terminationStatus), [0, 0], "repetition \(repetition)")
            let rows = try XCTUnwrap(try Boto3.run(rowsSnippet, endpoint: server.endpoint, args: harness.prefix + "assets")
                as? [String: [String: Any]])
            XCTAssertEqual(Set(rows.keys), Set(symbols))
            var repetitionWhole = true
            for (symbol, row) in rows {
                let tables = row["tables"] as? [String: String] ?? [:]
                let ok = tables == Dictionary(uniqueKeysWithValues: everyTable.map { ($0, "ok") })
                    && row["status"] as? String == "COMPLETE" && row["date"] is String
                XCTAssertTrue(ok, "repetition \(repetition), \(symbol): \(row)")
                repetitionWhole = repetitionWhole && ok
            }
            if repetitionWhole { whole += 1 }
        }
        XCTAssertEqual(whole, 20, "repetitions whose every row holds both runs' marks")
    }
}
