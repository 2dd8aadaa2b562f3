import Foundation
@testable import PollenSource
import XCTest

final class PayloadParserTests: XCTestCase {
    private func parse(_ text: String, _ function: SourceFunction, symbol: String = "IBM") -> PayloadContent {
        PayloadParser.parse(Data(text.utf8), function: function, symbol: symbol)
    }

    // MARK: Whole-payload outcomes, in the order they are checked

    /// A file of 50,000 bad records kept every rejection (a 4 MB file took 1.29 GB and wrote a
    /// 188 MB report): the first 20 are kept with their reasons, the rest counted.
    func testRejectionsAreCountedAllButKeptOnlyTwenty() throws {
        let text = #"{"symbol": "IBM", "annualEarnings": ["# + Array(repeating: "[]", count: 50_000).joined(separator: ",") + "]}"
        guard case .records(let payload) = parse(text, .earnings) else { return XCTFail("not parsed") }
        XCTAssertEqual(payload.rejectedCount, 50_000)
        XCTAssertEqual(payload.rejected.count, ParsedPayload.keptRejections)
        XCTAssertEqual(payload.rejected.first?.record, "annualEarnings[0]")
        XCTAssertEqual(ParsedPayload(records: [], rejected: Array(repeating: RecordRejection(record: "r", reason: "x"), count: 30))
                        .rejectedCount, 30)
    }

    func testInvalidSymbolFailsBeforeTheBodyIsLookedAt() throws {
        let outcome = try failure(parse("{}", .earnings, symbol: "ibm"))
        XCTAssertEqual(outcome.kind, .invalidSymbol)
        XCTAssertEqual(outcome.message, #"EARNINGS.json: symbol ibm does not match ^[A-Z0-9][A-Z0-9.\-]{0,11}$"#)
    }

    func testTruncatedFileIsInvalidJSON() throws {
        let data = try Fixture.data("invalid.json")
        let outcome = try failure(PayloadParser.parse(data, function: .balanceSheet, symbol: "IBM"))
        XCTAssertEqual(outcome.kind, .invalidJSON)
        XCTAssertEqual(outcome.message,
                       "BALANCE_SHEET.json for IBM is not valid JSON (unterminated string at byte \(data.count))")
    }

    func testEmptyFileIsInvalidJSON() throws {
        let outcome = try failure(parse("", .overview))
        XCTAssertEqual(outcome.kind, .invalidJSON)
        XCTAssertEqual(outcome.message, "OVERVIEW.json for IBM is not valid JSON (unexpected end of input at byte 0)")
    }

    func testTopLevelArrayIsWrongShape() throws {
        let outcome = try failure(Fixture.parse("array-top-level.json", .incomeStatement))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "INCOME_STATEMENT.json for IBM is an array, not a JSON object")
    }

    func testTopLevelScalarsAreWrongShape() throws {
        XCTAssertEqual(try failure(parse(#""IBM""#, .overview)).message, "OVERVIEW.json for IBM is a string, not a JSON object")
        XCTAssertEqual(try failure(parse("12", .overview)).message, "OVERVIEW.json for IBM is a number, not a JSON object")
        XCTAssertEqual(try failure(parse("null", .overview)).message, "OVERVIEW.json for IBM is null, not a JSON object")
        XCTAssertEqual(try failure(parse("true", .overview)).message, "OVERVIEW.json for IBM is a boolean, not a JSON object")
    }

    func testEmptyObjectIsNoDataForEveryFunction() throws {
        let data = try Fixture.data("empty-object.json")
        for function in SourceFunction.allCases {
            XCTAssertEqual(PayloadParser.parse(data, function: function, symbol: "IBM"), .noData)
        }
    }

    func testErrorMessageBody() throws {
        let outcome = try failure(Fixture.parse("error-message.json", .earnings))
        XCTAssertEqual(outcome.kind, .errorMessage)
        XCTAssertEqual(outcome.message, "Alpha Vantage error: Invalid API call. Please retry or visit the documentation "
                       + "(https://www.alphavantage.co/documentation/) for EARNINGS.")
    }

    func testInformationBody() throws {
        let outcome = try failure(Fixture.parse("information.json", .cashFlow))
        XCTAssertEqual(outcome.kind, .information)
        // The text is longer than 200 characters: it is cut there.
        XCTAssertEqual(outcome.message, "Alpha Vantage information: Thank you for using Alpha Vantage! Our standard API "
                       + "rate limit is 25 requests per day. Please subscribe to any of the premium plans at "
                       + "https://www.alphavantage.co/premium/ to instantly remove all dail…")
    }

    func testNoteBodyIsCappedAt200Characters() throws {
        let outcome = try failure(Fixture.parse("note.json", .overview))
        XCTAssertEqual(outcome.kind, .note)
        let text = "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 "
            + "calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher "
            + "API call frequency."
        XCTAssertGreaterThan(text.count, 200)
        XCTAssertEqual(outcome.message, "Alpha Vantage note: " + text.prefix(200) + "…")
    }

    func testATextOfExactly200CharactersIsKeptWhole() throws {
        let text = String(repeating: "a", count: 200)
        XCTAssertEqual(try failure(parse(#"{"Note": "\#(text)"}"#, .overview)).message, "Alpha Vantage note: " + text)
    }

    func testAlphaVantageTextIsPutOnOneLine() throws {
        let outcome = try failure(parse(#"{"Information": "first line\nsecond line\r\n\nthird"}"#, .overview))
        XCTAssertEqual(outcome.message, "Alpha Vantage information: first line second line third")
    }

    func testAlphaVantageTextThatIsNotAStringIsDescribed() throws {
        XCTAssertEqual(try failure(parse(#"{"Error Message": 42}"#, .overview)).message,
                       "Alpha Vantage error: (a number instead of text)")
        XCTAssertEqual(try failure(parse(#"{"Note": {"a": "b"}}"#, .overview)).message,
                       "Alpha Vantage note: (an object instead of text)")
    }

    func testErrorMessageWinsOverInformationWhichWinsOverNote() throws {
        let all = try failure(parse(#"{"Note": "n", "Information": "i", "Error Message": "e", "symbol": "IBM"}"#, .earnings))
        XCTAssertEqual(all.kind, .errorMessage)
        XCTAssertEqual(all.message, "Alpha Vantage error: e")
        let two = try failure(parse(#"{"Note": "n", "Information": "i"}"#, .earnings))
        XCTAssertEqual(two.kind, .information)
        XCTAssertEqual(two.message, "Alpha Vantage information: i")
    }

    // MARK: OVERVIEW

    static let overviewFields = [
        "Symbol", "AssetType", "Name", "Description", "CIK", "Exchange", "Currency", "Country", "Sector", "Industry",
        "Address", "OfficialSite", "FiscalYearEnd", "LatestQuarter", "MarketCapitalization", "EBITDA", "PERatio",
        "PEGRatio", "BookValue", "DividendPerShare", "DividendYield", "EPS", "RevenuePerShareTTM", "ProfitMargin",
        "OperatingMarginTTM", "ReturnOnAssetsTTM", "ReturnOnEquityTTM", "RevenueTTM", "GrossProfitTTM",
        "DilutedEPSTTM", "QuarterlyEarningsGrowthYOY", "QuarterlyRevenueGrowthYOY", "AnalystTargetPrice",
        "AnalystRatingStrongBuy", "AnalystRatingBuy", "AnalystRatingHold", "AnalystRatingSell",
        "AnalystRatingStrongSell", "TrailingPE", "ForwardPE", "PriceToSalesRatioTTM", "PriceToBookRatio",
        "EVToRevenue", "EVToEBITDA", "Beta", "52WeekHigh", "52WeekLow", "50DayMovingAverage", "200DayMovingAverage",
        "SharesOutstanding", "DividendDate", "ExDividendDate",
    ]

    func testFullOverviewIsOneRecordInFileOrder() throws {
        let payload = try parsed(Fixture.parse("overview-full.json", .overview))
        XCTAssertEqual(payload.rejected, [])
        XCTAssertEqual(payload.duplicates, [])
        XCTAssertEqual(payload.records.count, 1)
        let record = try XCTUnwrap(payload.records.first)
        XCTAssertNil(record.reportType)
        XCTAssertNil(record.fiscalDateEnding)
        XCTAssertNil(record.reportKey)
        XCTAssertEqual(record.fields.map(\.name), Self.overviewFields)
        XCTAssertEqual(record.fields.first { $0.name == "CIK" }?.value, "0000051143")
        XCTAssertEqual(record.fields.first { $0.name == "MarketCapitalization" }?.value, "232131265000")
        XCTAssertEqual(record.fields.filter { !$0.hasValue }.map(\.name), ["AnalystRatingStrongBuy", "AnalystRatingBuy"])
    }

    func testOverviewWithANumberValueIsWrongShape() throws {
        let outcome = try failure(Fixture.parse("overview-number-value.json", .overview))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "OVERVIEW.json for IBM: field MarketCapitalization is a number, not a string")
    }

    func testOverviewForAnotherSymbolIsSymbolMismatch() throws {
        let outcome = try failure(Fixture.parse("overview-symbol-mismatch.json", .overview))
        XCTAssertEqual(outcome.kind, .symbolMismatch)
        XCTAssertEqual(outcome.message, #"OVERVIEW.json for IBM holds data for symbol "MSFT", not IBM"#)
    }

    func testOverviewSymbolIsCaseSensitive() throws {
        XCTAssertEqual(try failure(parse(#"{"Symbol": "ibm"}"#, .overview)).kind, .symbolMismatch)
    }

    func testOverviewWithoutSymbolIsWrongShape() throws {
        let outcome = try failure(parse(#"{"Name": "International Business Machines"}"#, .overview))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "OVERVIEW.json for IBM has no Symbol field")
    }

    func testOverviewWithAStatementShapeIsWrongShape() throws {
        let outcome = try failure(parse(#"{"symbol": "IBM", "annualReports": []}"#, .overview))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "OVERVIEW.json for IBM: field annualReports is an array, not a string")
    }

    func testAVeryLongForeignSymbolIsCutShortInTheMessage() throws {
        let long = String(repeating: "X", count: 100)
        let outcome = try failure(parse(#"{"Symbol": "\#(long)"}"#, .overview))
        XCTAssertEqual(outcome.message, "OVERVIEW.json for IBM holds data for symbol \"\(long.prefix(40))…\", not IBM")
    }

    // MARK: Report lists

    func testEarningsWithBadDatesRejectsOnlyThoseRecords() throws {
        let payload = try parsed(Fixture.parse("earnings-bad-dates.json", .earnings))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31", "annual#2021-12-31",
                                                          "quarterly#2024-03-31", "quarterly#2024-02-29"])
        XCTAssertEqual(payload.records.map(\.reportType), [.annual, .annual, .quarterly, .quarterly])
        XCTAssertEqual(payload.rejected, [
            RecordRejection(record: "annualEarnings[1]",
                            reason: #"fiscalDateEnding "2023-02-29" is not a real YYYY-MM-DD date"#),
            RecordRejection(record: "quarterlyEarnings[1]",
                            reason: #"fiscalDateEnding "2024-13-01" is not a real YYYY-MM-DD date"#),
            RecordRejection(record: "quarterlyEarnings[2]",
                            reason: #"fiscalDateEnding "None" is not a real YYYY-MM-DD date"#),
            RecordRejection(record: "quarterlyEarnings[3]", reason: "no fiscalDateEnding field"),
            RecordRejection(record: "quarterlyEarnings[5]",
                            reason: #"fiscalDateEnding "2023-3-31" is not a real YYYY-MM-DD date"#),
        ])
        XCTAssertEqual(payload.duplicates, [])
        let quarter = try XCTUnwrap(payload.records.first { $0.reportKey == "quarterly#2024-03-31" })
        XCTAssertEqual(quarter.fields, [
            SourceField(name: "fiscalDateEnding", value: "2024-03-31"),
            SourceField(name: "reportedDate", value: "2024-04-24"),
            SourceField(name: "reportedEPS", value: "1.68"),
            SourceField(name: "estimatedEPS", value: "1.6"),
            SourceField(name: "surprise", value: "0.08"),
            SourceField(name: "surprisePercentage", value: "5"),
            SourceField(name: "reportTime", value: "post-market"),
        ])
    }

    func testDuplicatesKeepTheFirstAndListEveryLaterKey() throws {
        let payload = try parsed(Fixture.parse("statement-duplicates.json", .incomeStatement))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31", "annual#2022-12-31",
                                                          "quarterly#2024-03-31", "quarterly#2023-12-31"])
        let revenues = payload.records.map { $0.fields.first { $0.name == "totalRevenue" }?.value }
        XCTAssertEqual(revenues, ["61860000000", "60530000000", "14462000000", "17381000000"])
        XCTAssertEqual(payload.duplicates, ["annual#2023-12-31", "quarterly#2024-03-31", "quarterly#2023-09-30",
                                            "quarterly#2024-03-31"])
        // The newest 2023-09-30 report is broken: it still claims its key, so the older copy is not written.
        XCTAssertEqual(payload.rejected, [
            RecordRejection(record: "quarterly#2023-09-30",
                            reason: "field totalRevenue is a number, not a string (quarterlyReports[3])"),
        ])
    }

    func testARejectedLaterCopyOfAKeptKeyIsADuplicate() throws {
        let text = #"{"symbol": "IBM", "annualReports": [{"fiscalDateEnding": "2023-12-31"},"#
            + #" {"fiscalDateEnding": "2023-12-31", "netIncome": 1}]}"#
        let payload = try parsed(parse(text, .incomeStatement))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31"])
        XCTAssertEqual(payload.rejected, [])
        XCTAssertEqual(payload.duplicates, ["annual#2023-12-31"])
    }

    func testTheSameDateInBothListsIsNotADuplicate() throws {
        let text = #"{"symbol": "IBM", "annualEarnings": [{"fiscalDateEnding": "2023-12-31", "reportedEPS": "9.62"}],"#
            + #" "quarterlyEarnings": [{"fiscalDateEnding": "2023-12-31", "reportedEPS": "3.87"}]}"#
        let payload = try parsed(parse(text, .earnings))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31", "quarterly#2023-12-31"])
        XCTAssertEqual(payload.duplicates, [])
    }

    func testMixedBadRecordsAreRejectedOneByOne() throws {
        let payload = try parsed(Fixture.parse("statement-mixed-bad-records.json", .balanceSheet))
        XCTAssertEqual(payload.records.map(\.reportKey), ["quarterly#2024-03-31", "quarterly#2022-06-30"])
        XCTAssertEqual(payload.rejected, [
            RecordRejection(record: "quarterlyReports[1]", reason: "not an object but a string"),
            RecordRejection(record: "quarterly#2023-09-30",
                            reason: "field totalAssets is an object, not a string (quarterlyReports[2])"),
            RecordRejection(record: "quarterlyReports[3]", reason: "not an object but a number"),
            RecordRejection(record: "quarterlyReports[4]", reason: "not an object but null"),
            RecordRejection(record: "quarterlyReports[5]", reason: "not an object but an array"),
            RecordRejection(record: "quarterlyReports[6]", reason: "fiscalDateEnding is a number, not a string"),
            RecordRejection(record: "quarterly#2022-09-30",
                            reason: "field goodwill is a boolean, not a string (quarterlyReports[7])"),
        ])
        XCTAssertEqual(payload.duplicates, [])
    }

    func testMarkersAndUnicodeAreKeptAsSentInKeyOrder() throws {
        let payload = try parsed(Fixture.parse("statement-unicode-and-markers.json", .cashFlow, symbol: "BRK.B"))
        XCTAssertEqual(payload.rejected, [])
        let record = try XCTUnwrap(payload.records.first)
        XCTAssertEqual(payload.records.count, 1)
        XCTAssertEqual(record.reportKey, "annual#2023-12-31")
        XCTAssertEqual(record.fields, [
            SourceField(name: "fiscalDateEnding", value: "2023-12-31"),
            SourceField(name: "reportedCurrency", value: "USD"),
            SourceField(name: "operatingCashflow", value: "49196000000"),
            SourceField(name: "paymentsForOperatingActivities", value: "None"),
            SourceField(name: "proceedsFromOperatingActivities", value: "N/A"),
            SourceField(name: "changeInOperatingLiabilities", value: "-"),
            SourceField(name: "changeInOperatingAssets", value: ""),
            SourceField(name: "note", value: "Zürich – Genève été 😀 \"quoted\" \\ back/slash\ttab"),
            SourceField(name: "capitalExpenditures", value: "-19409000000"),
            SourceField(name: "changeInExchangeRate", value: "1.5e3"),
        ])
        XCTAssertEqual(record.fields.map(\.hasValue), [true, true, true, false, false, false, false, true, true, true])
    }

    func testNoValueMarkers() {
        XCTAssertEqual(SourceField.noValueMarkers, ["None", "-", "N/A", ""])
        XCTAssertFalse(SourceField(name: "a", value: "None").hasValue)
        XCTAssertTrue(SourceField(name: "a", value: "none").hasValue)
        XCTAssertTrue(SourceField(name: "a", value: "0").hasValue)
        XCTAssertTrue(SourceField(name: "a", value: "-1").hasValue)
    }

    func testAMissingListCountsAsEmpty() throws {
        let payload = try parsed(parse(#"{"symbol": "IBM", "annualEarnings": [{"fiscalDateEnding": "2023-12-31"}]}"#,
                                       .earnings))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31"])
    }

    func testEmptyListsGiveNoRecords() throws {
        let payload = try parsed(parse(#"{"symbol": "IBM", "annualReports": [], "quarterlyReports": []}"#, .cashFlow))
        XCTAssertEqual(payload, ParsedPayload(records: []))
    }

    func testExtraTopLevelKeysAreIgnored() throws {
        let text = #"{"symbol": "IBM", "meta": {"x": 1}, "quarterlyReports": [{"fiscalDateEnding": "2024-03-31"}]}"#
        XCTAssertEqual(try parsed(parse(text, .cashFlow)).records.count, 1)
    }

    func testReportsWithoutEitherListAreWrongShape() throws {
        // EARNINGS lists are called annualEarnings / quarterlyEarnings, not annualReports.
        let outcome = try failure(parse(#"{"symbol": "IBM", "annualReports": []}"#, .earnings))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "EARNINGS.json for IBM has neither annualEarnings nor quarterlyEarnings")
    }

    func testAListThatIsNotAnArrayIsWrongShape() throws {
        let outcome = try failure(parse(#"{"symbol": "IBM", "annualReports": [], "quarterlyReports": {}}"#,
                                        .balanceSheet))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "BALANCE_SHEET.json for IBM: quarterlyReports is an object, not an array")
    }

    func testReportsWithoutSymbolAreWrongShape() throws {
        let outcome = try failure(parse(#"{"annualReports": []}"#, .incomeStatement))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "INCOME_STATEMENT.json for IBM has no symbol field")
    }

    func testReportsWithANonStringSymbolAreWrongShape() throws {
        let outcome = try failure(parse(#"{"symbol": ["IBM"], "annualReports": []}"#, .incomeStatement))
        XCTAssertEqual(outcome.kind, .wrongShape)
        XCTAssertEqual(outcome.message, "INCOME_STATEMENT.json for IBM: field symbol is an array, not a string")
    }

    func testReportsForAnotherSymbolAreSymbolMismatch() throws {
        let outcome = try failure(parse(#"{"symbol": "MSFT", "annualReports": []}"#, .cashFlow))
        XCTAssertEqual(outcome.kind, .symbolMismatch)
        XCTAssertEqual(outcome.message, #"CASH_FLOW.json for IBM holds data for symbol "MSFT", not IBM"#)
    }

    /// A repeated field took its last value silently; a repeated fiscalDateEnding moved the
    /// record to another key. The record is rejected, and still claims the key it names.
    func testARecordWithARepeatedFieldIsRejected() throws {
        let text = #"{"symbol": "IBM", "annualReports": [{"fiscalDateEnding": "2023-12-31", "a": "1", "b": "2","#
            + #" "a": "3"}, {"fiscalDateEnding": "2022-12-31", "fiscalDateEnding": "2021-12-31"},"#
            + #" {"fiscalDateEnding": "2021-12-31", "a": "4"}, {"fiscalDateEnding": "2020-12-31", "a": "5"}]}"#
        let payload = try parsed(parse(text, .cashFlow))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2020-12-31"])
        XCTAssertEqual(payload.rejected, [
            RecordRejection(record: "annual#2023-12-31", reason: "field a appears more than once (annualReports[0])"),
            RecordRejection(record: "annual#2021-12-31",
                            reason: "field fiscalDateEnding appears more than once (annualReports[1])"),
        ])
        XCTAssertEqual(payload.duplicates, ["annual#2021-12-31"])
    }

    func testAPayloadOrOverviewWithARepeatedTopLevelFieldFails() throws {
        let reports = try failure(parse(#"{"symbol": "IBM", "annualReports": [], "annualReports": []}"#, .cashFlow))
        XCTAssertEqual(reports.kind, .wrongShape)
        XCTAssertEqual(reports.message, "CASH_FLOW.json for IBM: field annualReports appears more than once")
        let overview = try failure(parse(#"{"Symbol": "IBM", "PERatio": "1", "PERatio": "2"}"#, .overview))
        XCTAssertEqual(overview.message, "OVERVIEW.json for IBM: field PERatio appears more than once")
    }
}
