import Foundation
import PollenTestSupport
import XCTest

/// Server faults: 10% `InternalServerError` and connections reset after the write was
/// applied. Nothing is lost, nothing is written twice in a way that changes content.
final class BackfillFaultTests: XCTestCase {
    func testInternalErrorsAndResetsLoseNothing() async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 8)
        try harness.register(symbols)
        try await harness.server.setFaults(["error_rate": 0.1, "reset_rate": 0.05, "seed": 11])
        let run = try harness.backfill(["--max-attempts", "6"])
        try await harness.server.setFaults(["error_rate": 0, "reset_rate": 0])
        XCTAssertEqual(run.exitCode, 0, run.result.stderr + run.result.stdout.suffix(2000))
        let stats = try await harness.server.stats()
        XCTAssertGreaterThan(stats["internalErrors"] as? Int ?? 0, 0, "faults were injected")
        XCTAssertGreaterThan(stats["resets"] as? Int ?? 0, 0, "connections were reset")
        let retries = (run.summary?["tables"] as? [String: [String: Int]])?.values.reduce(0) { $0 + ($1["retries"] ?? 0) }
        XCTAssertGreaterThan(retries ?? 0, 0, "the run retried")

        // What the faulty run wrote equals what a clean run writes, item by item.
        var faulty: [String: [String: [String: Any]]] = [:]
        for table in ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            faulty[table] = try harness.dump(table)
        }
        let clean = try harness.backfill()
        XCTAssertEqual(clean.exitCode, 0)
        for (table, items) in faulty {
            let again = try harness.dump(table)
            XCTAssertEqual(items.count, again.count, table)
            XCTAssertEqual(NSDictionary(dictionary: items), NSDictionary(dictionary: again), "\(table) differs from a clean run")
        }
    }
}
