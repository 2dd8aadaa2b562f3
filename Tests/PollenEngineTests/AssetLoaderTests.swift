import Foundation
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// Reading one asset's payloads into items, table by table.
final class AssetLoaderTests: XCTestCase {
    let date = Date(timeIntervalSince1970: 1_767_225_600)

    func testEachKindOfPayload() async throws {
        let digits39 = "123456789012345678901234567890123456789"
        let source = ScriptedAssetSource { symbol, function in
            switch function {
            case .overview: return .noData
            case .earnings: return .failed(PayloadFailure(kind: .note, message: "EARNINGS.json: the source says: rate limit"))
            case .cashFlow:
                return .records(ParsedPayload(
                    records: ScriptedAssetSource.quarterlyReports(3)
                        + [ScriptedAssetSource.report(.annual, "2023-12-31", [("totalAssets", digits39)])],
                    rejected: [RecordRejection(record: "quarterlyReports[7]", reason: "fiscalDateEnding is not a date")],
                    duplicates: ["quarterly#2024-09-30"]))
            default:
                return .records(ParsedPayload(records: [ScriptedAssetSource.report(.annual, "2023-12-31")]))
            }
        }
        let loader = AssetLoader(source: source, runID: "run-7")
        let loaded = await loader.load(symbol: "IBM", tables: [.companyOverview, .earnings, .cashFlow, .balanceSheet, .assets],
                                       at: date)
        XCTAssertEqual(loaded.map(\.table), [.companyOverview, .earnings, .cashFlow, .balanceSheet], "the assets table has no source")
        XCTAssertEqual(source.loaded.map(\.function), [.overview, .earnings, .cashFlow, .balanceSheet])
        XCTAssertTrue(source.loaded.allSatisfy { $0.symbol == "IBM" })

        guard case .noData = loaded[0].content else { return XCTFail("overview: \(loaded[0].content)") }
        XCTAssertTrue(loaded[0].items.isEmpty)
        guard case .failed(let message) = loaded[1].content else { return XCTFail("earnings: \(loaded[1].content)") }
        XCTAssertEqual(message, "EARNINGS.json: the source says: rate limit")

        let cashFlow = loaded[2]
        XCTAssertEqual(cashFlow.items.map(\.key), ["quarterly#2024-12-31", "quarterly#2024-09-30", "quarterly#2024-06-30"])
        XCTAssertEqual(cashFlow.rejected.map(\.record), ["quarterlyReports[7]", "annual#2023-12-31"],
                       "the payload's rejections, then the mapper's")
        XCTAssertTrue(cashFlow.rejected[1].reason.contains("totalAssets"))
        XCTAssertEqual(cashFlow.duplicates, ["quarterly#2024-09-30"])
        XCTAssertEqual(cashFlow.alreadyWritten, 0)
        XCTAssertEqual(cashFlow.items.first?.item["runId"], .s("run-7"))
        XCTAssertEqual(cashFlow.items.first?.item["ingestedAt"], .s("2026-01-01T00:00:00Z"))
        XCTAssertEqual(loaded[3].items.count, 1)
    }

    func testItemsAlreadyWrittenAreLeftOut() async throws {
        let source = ScriptedAssetSource { _, _ in .records(ParsedPayload(records: ScriptedAssetSource.quarterlyReports(4))) }
        let loader = AssetLoader(source: source, runID: "run-7")
        let loaded = await loader.load(symbol: "IBM", tables: [.earnings, .cashFlow], at: date) { table, key in
            table == .earnings && (key == "quarterly#2024-12-31" || key == "quarterly#2024-06-30")
        }
        XCTAssertEqual(loaded[0].items.map(\.key), ["quarterly#2024-09-30", "quarterly#2024-03-31"])
        XCTAssertEqual(loaded[0].alreadyWritten, 2)
        XCTAssertEqual(loaded[1].items.count, 4, "the filter is per table")
        XCTAssertEqual(loaded[1].alreadyWritten, 0)
        // Everything written already: no items, but not "no data" either.
        let done = await loader.load(symbol: "IBM", tables: [.earnings], at: date) { _, _ in true }
        guard case .items(let items) = done[0].content else { return XCTFail("\(done[0].content)") }
        XCTAssertTrue(items.isEmpty)
        XCTAssertEqual(done[0].alreadyWritten, 4)
    }
}
