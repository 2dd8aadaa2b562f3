import Foundation
import PollenDynamoDB
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

struct UnexpectedRejection: Error {}

/// Source records to DynamoDB items, exactly as CONTRACT section 1 says.
final class ItemMapperTests: XCTestCase {
    // 2026-03-04T05:06:07.890Z
    let mapper = ItemMapper(runID: "run-42", ingestedAt: Date(timeIntervalSince1970: 1_772_600_767.89))

    func item(_ record: SourceRecord, symbol: String = "IBM", function: SourceFunction) throws -> ItemMapper.MappedItem {
        switch mapper.map(record, symbol: symbol, function: function) {
        case .item(let item): return item
        case .rejected(let rejection):
            XCTFail("unexpected rejection: \(rejection)")
            throw UnexpectedRejection()
        }
    }

    func rejection(_ record: SourceRecord, function: SourceFunction) -> RecordRejection? {
        if case .rejected(let rejection) = mapper.map(record, symbol: "IBM", function: function) { return rejection }
        return nil
    }

    func testStatementItem() throws {
        let forty = "12345678901234567890123456789012345678"  // 38 significant digits
        let record = ScriptedAssetSource.report(.quarterly, "2024-03-31", [
            ("reportedCurrency", "USD"), ("totalRevenue", "14462000000"), ("netIncome", "-1605000000"),
            ("grossProfitRatio", "0.5312"), ("huge", forty), ("tiny", "1.5E-7"), ("none", "None"), ("dash", "-"),
            ("na", "N/A"), ("empty", ""), ("comment", "restated"),
        ])
        let mapped = try item(record, function: .incomeStatement)
        let item = mapped.item
        XCTAssertEqual(item["symbol"], .s("IBM"))
        XCTAssertEqual(item["reportKey"], .s("quarterly#2024-03-31"))
        XCTAssertEqual(item["reportType"], .s("quarterly"))
        XCTAssertEqual(item["source"], .s("alphavantage"))
        XCTAssertEqual(item["runId"], .s("run-42"))
        XCTAssertEqual(item["ingestedAt"], .s("2026-03-04T05:06:07Z"))
        XCTAssertEqual(item["fiscalDateEnding"], .s("2024-03-31"))
        XCTAssertEqual(item["reportedCurrency"], .s("USD"))
        XCTAssertEqual(item["totalRevenue"], .n("14462000000"))
        XCTAssertEqual(item["netIncome"], .n("-1605000000"))
        XCTAssertEqual(item["grossProfitRatio"], .n("0.5312"), "the exact decimal text, never through Double")
        XCTAssertEqual(item["huge"], .n(forty), "38 digits kept")
        XCTAssertEqual(item["tiny"], .n("1.5E-7"))
        XCTAssertEqual(item["comment"], .s("restated"))
        for absent in ["none", "dash", "na", "empty"] {
            XCTAssertNil(item[absent], "\(absent): no value means no attribute (not NULL)")
        }
        XCTAssertEqual(Set(item.keys), ["symbol", "reportKey", "reportType", "source", "runId", "ingestedAt", "fiscalDateEnding",
                                        "reportedCurrency", "totalRevenue", "netIncome", "grossProfitRatio", "huge", "tiny",
                                        "comment"])
        XCTAssertEqual(mapped.key, "quarterly#2024-03-31")
        XCTAssertEqual(mapped.bytes, ItemSize.of(item))
        XCTAssertEqual(mapped.writeUnits, 1)
    }

    func testIngestedAtFormat() throws {
        let item = try item(ScriptedAssetSource.report(.annual, "2023-12-31"), function: .cashFlow).item
        let text = try XCTUnwrap(item["ingestedAt"]?.stringValue)
        XCTAssertNotNil(text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression), text)
        XCTAssertEqual(Timestamp.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(Timestamp.iso8601(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00Z")
        XCTAssertEqual(Timestamp.iso8601(Date(timeIntervalSince1970: 1_767_225_599.999)), "2025-12-31T23:59:59Z", "seconds are truncated")
    }

    func testTextFieldsStayTextEvenWhenAllDigits() throws {
        let overview = ScriptedAssetSource.overview([
            ("Symbol", "7203"), ("CIK", "0000051143"), ("Name", "Toyota"), ("FiscalYearEnd", "March"),
            ("LatestQuarter", "2024-03-31"), ("DividendDate", "2024-06-10"), ("MarketCapitalization", "0"),
            ("Exchange", "1234"), ("PERatio", "None"),
        ])
        let item = try item(overview, symbol: "7203", function: .overview).item
        XCTAssertEqual(item["Symbol"], .s("7203"))
        XCTAssertEqual(item["CIK"], .s("0000051143"), "leading zeros kept")
        XCTAssertEqual(item["LatestQuarter"], .s("2024-03-31"))
        XCTAssertEqual(item["DividendDate"], .s("2024-06-10"))
        XCTAssertEqual(item["Exchange"], .s("1234"))
        XCTAssertEqual(item["MarketCapitalization"], .n("0"))
        XCTAssertNil(item["PERatio"])
        XCTAssertEqual(item["symbol"], .s("7203"))

        let earnings = ScriptedAssetSource.report(.annual, "2023-12-31", [("reportedDate", "2024-01-24"), ("reportTime", "0800"),
                                                                          ("reportedEPS", "9.61")])
        let earningsItem = try self.item(earnings, function: .earnings).item
        XCTAssertEqual(earningsItem["reportTime"], .s("0800"))
        XCTAssertEqual(earningsItem["reportedDate"], .s("2024-01-24"))
        XCTAssertEqual(earningsItem["reportedEPS"], .n("9.61"))
        XCTAssertEqual(earningsItem["reportType"], .s("annual"))

        let statement = ScriptedAssetSource.report(.annual, "2023-12-31", [("reportedCurrency", "840")])
        XCTAssertEqual(try self.item(statement, function: .balanceSheet).item["reportedCurrency"], .s("840"))
    }

    func testNumbersAreWrittenInCanonicalForm() throws {
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [
            ("plus", "+5"), ("point", "1."), ("padded", String(repeating: "0", count: 41) + "123"), ("zero", "-0.00"),
        ])
        let item = try item(record, function: .cashFlow).item
        XCTAssertEqual(item["plus"], .n("5"))
        XCTAssertEqual(item["point"], .n("1"))
        XCTAssertEqual(item["padded"], .n("123"))
        XCTAssertEqual(item["zero"], .n("0"))
    }

    func testOverviewHasNoReportKeyOrType() throws {
        let mapped = try item(ScriptedAssetSource.overview([("Symbol", "IBM"), ("Name", "IBM")]), function: .overview)
        XCTAssertNil(mapped.item["reportKey"])
        XCTAssertNil(mapped.item["reportType"])
        XCTAssertEqual(mapped.key, "IBM", "single-item tables are keyed by the symbol")
        XCTAssertEqual(mapped.item["source"], .s("alphavantage"))
        XCTAssertEqual(mapped.item["runId"], .s("run-42"))
        XCTAssertNotNil(mapped.item["ingestedAt"])
    }

    func testANumberDynamoDBCannotStoreIsRejectedNamingTheField() throws {
        let digits39 = "123456789012345678901234567890123456789"
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [("totalAssets", digits39)])
        let rejection = try XCTUnwrap(self.rejection(record, function: .balanceSheet))
        XCTAssertEqual(rejection.record, "annual#2023-12-31")
        XCTAssertTrue(rejection.reason.contains("totalAssets"), rejection.reason)
        XCTAssertFalse(rejection.reason.contains(digits39), "the reason names the field, not the value")
        let outOfRange = ScriptedAssetSource.report(.annual, "2023-12-31", [("ratio", "1e200")])
        XCTAssertTrue(try XCTUnwrap(self.rejection(outOfRange, function: .balanceSheet)).reason.contains("ratio"))
        // 39 digits whose trailing zeros are not significant fit.
        let round = ScriptedAssetSource.report(.annual, "2023-12-31", [("shares", "100000000000000000000000000000000000000")])
        XCTAssertEqual(try item(round, function: .balanceSheet).item["shares"], .n("100000000000000000000000000000000000000"))
        // Overview rejections name the symbol.
        let overview = ScriptedAssetSource.overview([("Symbol", "IBM"), ("SharesOutstanding", digits39)])
        XCTAssertEqual(try XCTUnwrap(self.rejection(overview, function: .overview)).record, "IBM")
    }

    /// DynamoDB refuses a whole batch over one empty attribute name: the record is rejected instead.
    func testAnEmptyFieldNameIsRejected() throws {
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [("", "x"), ("totalAssets", "5")])
        let rejection = try XCTUnwrap(self.rejection(record, function: .balanceSheet))
        XCTAssertEqual(rejection.record, "annual#2023-12-31")
        XCTAssertEqual(rejection.reason, "a field has an empty name, which DynamoDB cannot store")
    }

    func testAnItemOverTheSizeLimitIsRejected() throws {
        let big = String(repeating: "x", count: 409_600)
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [("notes", big)])
        let rejection = try XCTUnwrap(self.rejection(record, function: .cashFlow))
        XCTAssertEqual(rejection.record, "annual#2023-12-31")
        XCTAssertTrue(rejection.reason.contains("400 KB"), rejection.reason)
        // Just under the limit, with the attributes pollen adds, is written.
        let probe = try item(ScriptedAssetSource.report(.annual, "2023-12-31", [("notes", "")]), function: .cashFlow)
        let room = ItemSize.maxItemBytes - probe.bytes - "notes".utf8.count
        let fits = try item(ScriptedAssetSource.report(.annual, "2023-12-31", [("notes", String(repeating: "y", count: room))]),
                            function: .cashFlow)
        XCTAssertEqual(fits.bytes, ItemSize.maxItemBytes)
        XCTAssertEqual(fits.writeUnits, 400)
        let over = ScriptedAssetSource.report(.annual, "2023-12-31", [("notes", String(repeating: "y", count: room + 1))])
        XCTAssertNotNil(self.rejection(over, function: .cashFlow))
    }

    func testPollensOwnAttributesWin() throws {
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [
            ("symbol", "EVIL"), ("source", "somewhere"), ("runId", "other-run"), ("ingestedAt", "1999-01-01T00:00:00Z"),
            ("reportKey", "annual#1900-01-01"), ("reportType", "quarterly"),
        ])
        let item = try item(record, function: .cashFlow).item
        XCTAssertEqual(item["symbol"], .s("IBM"))
        XCTAssertEqual(item["source"], .s("alphavantage"))
        XCTAssertEqual(item["runId"], .s("run-42"))
        XCTAssertEqual(item["ingestedAt"], .s("2026-03-04T05:06:07Z"))
        XCTAssertEqual(item["reportKey"], .s("annual#2023-12-31"))
        XCTAssertEqual(item["reportType"], .s("annual"))
        // On the overview, a source `reportKey`/`reportType` is dropped, not stored.
        let overview = try self.item(ScriptedAssetSource.overview([("Symbol", "IBM"), ("reportKey", "x"), ("symbol", "EVIL")]),
                                     function: .overview).item
        XCTAssertNil(overview["reportKey"])
        XCTAssertEqual(overview["symbol"], .s("IBM"))
    }

    /// Regression: text that merely starts like a number in exponent notation (`1e`, `2E+`) was
    /// taken for a number too large to store and the record rejected; it is text (S).
    func testTextEndingInAnExponentMarkIsKeptAsText() throws {
        let record = ScriptedAssetSource.report(.annual, "2023-12-31", [("auditGrade", "1e"), ("rating", "2E+")])
        let mapped = try item(record, function: .cashFlow)
        XCTAssertEqual(mapped.item["auditGrade"], .s("1e"))
        XCTAssertEqual(mapped.item["rating"], .s("2E+"))
    }

    func testLooksNumeric() {
        for text in ["1", "-1", "+2.5", "1e5", "1E-5", ".5", "5.", "123456789012345678901234567890123456789012"] {
            XCTAssertTrue(ItemMapper.looksNumeric(text), text)
        }
        for text in ["", "-", "e5", "1.2.3", "12a", "2024-03-31", "1,000", "NaN", "Infinity", "0x10"] {
            XCTAssertFalse(ItemMapper.looksNumeric(text), text)
        }
    }
}

/// DynamoDB's item size rules and write units.
final class ItemSizeTests: XCTestCase {
    func testEveryAttributeType() {
        XCTAssertEqual(ItemSize.of(.s("abc")), 3)
        XCTAssertEqual(ItemSize.of(.s("é€")), 5, "UTF-8 bytes, not characters")
        XCTAssertEqual(ItemSize.of(.s("")), 0)
        XCTAssertEqual(ItemSize.of(.n("123")), 3, "3 significant digits: 2 bytes + 1")
        XCTAssertEqual(ItemSize.of(.n("100")), 2, "trailing zeros are not significant")
        XCTAssertEqual(ItemSize.of(.n("0.00123")), 3, "leading zeros are not significant")
        XCTAssertEqual(ItemSize.of(.n("1.5e10")), 2, "the exponent is free")
        XCTAssertEqual(ItemSize.of(.n("-1.5e10")), 3, "a negative number costs a byte more, as DynamoDB counts it")
        XCTAssertEqual(ItemSize.of(.n("0")), 2)
        XCTAssertEqual(ItemSize.of(.n("12345678901234567890123456789012345678")), 20)
        XCTAssertEqual(ItemSize.of(.b(Data([1, 2, 3, 4]))), 4)
        XCTAssertEqual(ItemSize.of(.bool(true)), 1)
        XCTAssertEqual(ItemSize.of(.null), 1)
        XCTAssertEqual(ItemSize.of(.m([:])), 3)
        XCTAssertEqual(ItemSize.of(.m(["ab": .s("xyz"), "c": .bool(false)])), 3 + (2 + 3 + 1) + (1 + 1 + 1))
        XCTAssertEqual(ItemSize.of(.l([])), 3)
        XCTAssertEqual(ItemSize.of(.l([.s("xyz"), .n("5")])), 3 + (3 + 1) + (2 + 1))
        XCTAssertEqual(ItemSize.of(.ss(["a", "bc"])), 3)
        XCTAssertEqual(ItemSize.of(.ns(["1", "22", "333"])), 2 + 2 + 3)
        XCTAssertEqual(ItemSize.of(.bs([Data([1]), Data([1, 2])])), 3)
        XCTAssertEqual(ItemSize.of(.m(["in": .l([.m(["x": .null])])])), 3 + 2 + (3 + (3 + 1 + 1 + 1) + 1) + 1, "nesting adds up")
    }

    func testItemSizeIsNamesPlusValues() {
        let item: Item = ["symbol": .s("IBM"), "reportedEPS": .n("9.61"), "flag": .bool(true)]
        XCTAssertEqual(ItemSize.of(item), (6 + 3) + (11 + 3) + (4 + 1))
        XCTAssertEqual(ItemSize.of([:] as Item), 0)
    }

    /// The same table of cases checks the local DynamoDB's `limits.py` (test_limits.py): an item
    /// Pollen sizes at the limit is one the server sizes there too (negative numbers counted one
    /// byte short sent whole batches to their doom).
    func testItemSizeAgreesWithTheLocalServerOnTheSharedCases() throws {
        struct Case: Decodable {
            var name: String
            var item: Item
            var bytes: Int
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.path("Tests/Fixtures/item-size-cases.json")))
        let cases = try JSONDecoder().decode([Case].self, from: data)
        XCTAssertGreaterThanOrEqual(cases.count, 18)
        for sized in cases {
            XCTAssertEqual(ItemSize.of(sized.item), sized.bytes, sized.name)
        }
    }

    func testWriteUnitsRoundUpPerKilobyte() {
        XCTAssertEqual(ItemSize.writeUnits(bytes: 0), 1)
        XCTAssertEqual(ItemSize.writeUnits(bytes: 1), 1)
        XCTAssertEqual(ItemSize.writeUnits(bytes: 1024), 1)
        XCTAssertEqual(ItemSize.writeUnits(bytes: 1025), 2)
        XCTAssertEqual(ItemSize.writeUnits(bytes: 2048), 2)
        XCTAssertEqual(ItemSize.writeUnits(bytes: 409_600), 400)
    }
}
