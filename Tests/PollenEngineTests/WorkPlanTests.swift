import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The (asset, table) pairs of a run, and run ids.
final class WorkPlanTests: XCTestCase {
    func testUnitsAndTables() {
        let plan = WorkPlan(units: [WorkPlan.Unit(symbol: "IBM", tables: [.incomeStatement, .earnings]),
                                    WorkPlan.Unit(symbol: "MSFT", tables: [.cashFlow, .earnings])])
        XCTAssertEqual(plan.units[0].tables, [.earnings, .incomeStatement], "tables in table order")
        XCTAssertEqual(plan.tables, [.earnings, .cashFlow, .incomeStatement], "the union, in table order")
        XCTAssertEqual(plan.byAsset, ["IBM": [.earnings, .incomeStatement], "MSFT": [.earnings, .cashFlow]])
        let same = WorkPlan(symbols: ["B", "A"], tables: [.cashFlow, .companyOverview])
        XCTAssertEqual(same.units.map(\.symbol), ["B", "A"], "assets in the order given")
        XCTAssertTrue(same.units.allSatisfy { $0.tables == [.companyOverview, .cashFlow] })
    }

    func testTablesAndNames() {
        XCTAssertEqual(PollenTable.dataTables, [.companyOverview, .earnings, .cashFlow, .balanceSheet, .incomeStatement])
        XCTAssertEqual(PollenTable.earnings.name(prefix: "dev_"), "dev_earnings")
        XCTAssertEqual(PollenTable.companyOverview.keyAttributes, ["symbol"])
        XCTAssertEqual(PollenTable.assets.keyAttributes, ["symbol"])
        XCTAssertEqual(PollenTable.cashFlow.keyAttributes, ["symbol", "reportKey"])
        for table in PollenTable.dataTables {
            XCTAssertEqual(table.sourceFunction.map(PollenTable.init(function:)), table)
        }
        XCTAssertNil(PollenTable.assets.sourceFunction)
    }

    func testRunIDs() {
        XCTAssertEqual(BackfillConfiguration.newRunID(at: "2026-11-24T21:14:50Z", random: FixedRandom(0)), "20261124T211450Z-0000")
        XCTAssertEqual(BackfillConfiguration.newRunID(at: "2026-11-24T21:14:50Z", random: FixedRandom(0.5)), "20261124T211450Z-8000")
        XCTAssertEqual(BackfillConfiguration.newRunID(at: "2026-11-24T21:14:50Z", random: FixedRandom(0.999999)), "20261124T211450Z-ffff")
    }
}
