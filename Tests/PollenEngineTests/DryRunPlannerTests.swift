import Foundation
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// `--dry-run`: the plan per table, and that nothing is written.
final class DryRunPlannerTests: XCTestCase {
    func testPlansWithoutWriting() async throws {
        let db = ScriptedDynamoDB(tables: ["earnings": .provisioned(wcu: 10), "cashFlow": .missing, "balanceSheet": .onDemand],
                                  registered: ["IBM", "MSFT"])
        let source = ScriptedAssetSource { _, function in
            switch function {
            case .earnings:
                return .records(ParsedPayload(
                    records: (0..<30).map { ScriptedAssetSource.report(.quarterly, String(format: "%04d-06-30", 1980 + $0)) },
                    rejected: [RecordRejection(record: "quarterlyEarnings[40]", reason: "fiscalDateEnding is not a date")],
                    duplicates: ["quarterly#2000-06-30"]))
            case .cashFlow: return .records(ParsedPayload(records: ScriptedAssetSource.quarterlyReports(2)))
            case .balanceSheet: return .noData
            default: return .failed(PayloadFailure(kind: .missingFile, message: "OVERVIEW.json is missing"))
            }
        }
        let planner = DryRunPlanner(client: db.client(), source: source,
                                    plan: WorkPlan(symbols: ["IBM", "MSFT"], tables: [.earnings, .cashFlow, .balanceSheet, .companyOverview]),
                                    tablePrefix: "", cap: .init(capacityPercent: 50))
        let plan = try await planner.makePlan()
        XCTAssertTrue(db.batchWrites.isEmpty, "a dry run writes nothing")
        XCTAssertTrue(db.updates.isEmpty)
        XCTAssertEqual(plan.assets, 2)
        XCTAssertEqual(plan.tables.map(\.table), [.companyOverview, .earnings, .cashFlow, .balanceSheet])

        let earnings = try XCTUnwrap(plan.tables.first { $0.table == .earnings })
        XCTAssertEqual(earnings.items, 60)
        XCTAssertEqual(earnings.batches, 4, "25 + 5 per asset")
        XCTAssertEqual(earnings.writeUnits, 60)
        XCTAssertEqual(earnings.rejected, 2)
        XCTAssertEqual(earnings.duplicates, 2)
        XCTAssertEqual(earnings.unitsPerSecond, 5, "10 WCU at 50%")
        XCTAssertEqual(try XCTUnwrap(earnings.estimatedSeconds), 12, accuracy: 1e-9)
        let cashFlow = try XCTUnwrap(plan.tables.first { $0.table == .cashFlow })
        XCTAssertEqual(cashFlow.unavailable, "table cashFlow does not exist")
        let balanceSheet = try XCTUnwrap(plan.tables.first { $0.table == .balanceSheet })
        XCTAssertEqual(balanceSheet.noData, 2)
        XCTAssertNil(balanceSheet.unitsPerSecond, "on-demand: no capacity to plan against")
        XCTAssertNil(balanceSheet.estimatedSeconds)
        XCTAssertEqual(plan.tables.first { $0.table == .companyOverview }?.failedPairs, 2)
        XCTAssertEqual(try XCTUnwrap(plan.estimatedSeconds), 12, accuracy: 1e-9)
        XCTAssertTrue(plan.problems.contains("cashFlow: table cashFlow does not exist"), "\(plan.problems)")
        XCTAssertTrue(plan.problems.contains("IBM companyOverview: OVERVIEW.json is missing"))
        XCTAssertTrue(plan.problems.contains("MSFT earnings quarterlyEarnings[40]: fiscalDateEnding is not a date"))
    }
}
