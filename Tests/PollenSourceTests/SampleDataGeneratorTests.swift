import Foundation
@testable import PollenSource
import PollenTestSupport
import XCTest

final class SampleDataGeneratorTests: XCTestCase {
    /// The field names of `alphavantage-fields.md`, in its order, after `fiscalDateEnding` and `reportedCurrency`.
    static let statementFields: [SourceFunction: [String]] = [
        .incomeStatement: [
            "grossProfit", "totalRevenue", "costOfRevenue", "costofGoodsAndServicesSold", "operatingIncome",
            "sellingGeneralAndAdministrative", "researchAndDevelopment", "operatingExpenses", "investmentIncomeNet",
            "netInterestIncome", "interestIncome", "interestExpense", "nonInterestIncome", "otherNonOperatingIncome",
            "depreciation", "depreciationAndAmortization", "incomeBeforeTax", "incomeTaxExpense",
            "interestAndDebtExpense", "netIncomeFromContinuingOperations", "comprehensiveIncomeNetOfTax", "ebit",
            "ebitda", "netIncome",
        ],
        .balanceSheet: [
            "totalAssets", "totalCurrentAssets", "cashAndCashEquivalentsAtCarryingValue", "cashAndShortTermInvestments",
            "inventory", "currentNetReceivables", "totalNonCurrentAssets", "propertyPlantEquipment",
            "accumulatedDepreciationAmortizationPPE", "intangibleAssets", "intangibleAssetsExcludingGoodwill", "goodwill",
            "investments", "longTermInvestments", "shortTermInvestments", "otherCurrentAssets", "otherNonCurrentAssets",
            "totalLiabilities", "totalCurrentLiabilities", "currentAccountsPayable", "deferredRevenue", "currentDebt",
            "shortTermDebt", "totalNonCurrentLiabilities", "capitalLeaseObligations", "longTermDebt",
            "currentLongTermDebt", "longTermDebtNoncurrent", "shortLongTermDebtTotal", "otherCurrentLiabilities",
            "otherNonCurrentLiabilities", "totalShareholderEquity", "treasuryStock", "retainedEarnings", "commonStock",
            "commonStockSharesOutstanding",
        ],
        .cashFlow: [
            "operatingCashflow", "paymentsForOperatingActivities", "proceedsFromOperatingActivities",
            "changeInOperatingLiabilities", "changeInOperatingAssets", "depreciationDepletionAndAmortization",
            "capitalExpenditures", "changeInReceivables", "changeInInventory", "profitLoss", "cashflowFromInvestment",
            "cashflowFromFinancing", "proceedsFromRepaymentsOfShortTermDebt", "paymentsForRepurchaseOfCommonStock",
            "paymentsForRepurchaseOfEquity", "paymentsForRepurchaseOfPreferredStock", "dividendPayout",
            "dividendPayoutCommonStock", "dividendPayoutPreferredStock", "proceedsFromIssuanceOfCommonStock",
            "proceedsFromIssuanceOfLongTermDebtAndCapitalSecuritiesNet", "proceedsFromIssuanceOfPreferredStock",
            "proceedsFromRepurchaseOfEquity", "proceedsFromSaleOfTreasuryStock", "changeInCashAndCashEquivalents",
            "changeInExchangeRate", "netIncome",
        ],
    ]
    static let annualEarningsFields = ["fiscalDateEnding", "reportedEPS"]
    static let quarterlyEarningsFields = ["fiscalDateEnding", "reportedDate", "reportedEPS", "estimatedEPS", "surprise",
                                          "surprisePercentage", "reportTime"]

    private let generator = SampleDataGenerator(seed: 42)

    private func records(_ function: SourceFunction, _ symbol: String,
                         generator: SampleDataGenerator? = nil) throws -> [SourceRecord] {
        let data = (generator ?? self.generator).payload(for: function, symbol: symbol)
        let payload = try parsed(PayloadParser.parse(data, function: function, symbol: symbol))
        XCTAssertEqual(payload.rejected, [], "\(symbol) \(function)")
        XCTAssertEqual(payload.duplicates, [], "\(symbol) \(function)")
        return payload.records
    }

    private func value(_ name: String, in record: SourceRecord) -> String? {
        record.fields.first { $0.name == name }?.value
    }

    // MARK: Symbols

    func testSymbolsAreValidUniqueAndMadeOfTwoToFiveLetters() {
        let symbols = generator.symbols(count: 2_000)
        XCTAssertEqual(symbols.count, 2_000)
        XCTAssertEqual(Set(symbols).count, 2_000)
        for symbol in symbols {
            XCTAssertTrue(SymbolRules.isValid(symbol), symbol)
            XCTAssertTrue((2...5).contains(symbol.count), symbol)
            XCTAssertTrue(symbol.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }, symbol)
        }
        XCTAssertEqual(Set(symbols.map(\.count)), [2, 3, 4, 5])
    }

    func testSymbolsAreDeterministicAndPrefixStable() {
        XCTAssertEqual(generator.symbols(count: 50), SampleDataGenerator(seed: 42).symbols(count: 50))
        XCTAssertEqual(generator.symbols(count: 10), Array(generator.symbols(count: 300).prefix(10)))
        XCTAssertNotEqual(generator.symbols(count: 10), SampleDataGenerator(seed: 43).symbols(count: 10))
        XCTAssertEqual(generator.symbols(count: 0), [])
        XCTAssertEqual(generator.symbols(count: -1), [])
    }

    func testEverySeedGivesParsableOverviewsWithSaneRatios() throws {
        // Seed 21 once trapped: four quarters' EPS summing to 1e-17 made a P/E too large for Int64.
        for seed in [0, 1, 21, 42, 99, 1_000] as [UInt64] {
            let generator = SampleDataGenerator(seed: seed)
            for symbol in generator.symbols(count: 300) {
                let overview = try XCTUnwrap(records(.overview, symbol, generator: generator).first, symbol)
                for name in ["PERatio", "TrailingPE", "PEGRatio"] {
                    guard let text = value(name, in: overview), text != "None" else { continue }
                    let ratio = try XCTUnwrap(Double(text), "\(seed) \(symbol) \(name) \(text)")
                    XCTAssertTrue(ratio > 0 && ratio < 1_000_000, "\(seed) \(symbol) \(name) \(text)")
                }
            }
        }
    }

    // MARK: Determinism

    func testTheSameSeedGivesTheSameBytes() {
        let again = SampleDataGenerator(seed: 42)
        for symbol in generator.symbols(count: 5) {
            for function in SourceFunction.allCases {
                XCTAssertEqual(generator.payload(for: function, symbol: symbol), again.payload(for: function, symbol: symbol))
            }
        }
    }

    func testADifferentSeedGivesDifferentBytes() {
        let other = SampleDataGenerator(seed: 7)
        for function in SourceFunction.allCases {
            XCTAssertNotEqual(generator.payload(for: function, symbol: "QZX"), other.payload(for: function, symbol: "QZX"))
        }
    }

    func testPayloadsDoNotDependOnTheOrderTheyAreMadeIn() {
        let forward = SourceFunction.allCases.map { generator.payload(for: $0, symbol: "KLMN") }
        let backward = SourceFunction.allCases.reversed().map { generator.payload(for: $0, symbol: "KLMN") }
        XCTAssertEqual(forward, backward.reversed())
    }

    // MARK: Shape

    func testEveryPayloadParsesCleanlyWithTheExpectedCounts() throws {
        var totals: [Int] = []
        for symbol in generator.symbols(count: 40) {
            var total = 0
            XCTAssertEqual(try records(.overview, symbol).count, 1)
            total += 1
            let earnings = try records(.earnings, symbol)
            let annualEarnings = earnings.filter { $0.reportType == .annual }.count
            XCTAssertTrue((10...20).contains(annualEarnings), "\(symbol): \(annualEarnings) annual earnings")
            XCTAssertTrue((40...80).contains(earnings.count - annualEarnings), "\(symbol): \(earnings.count) earnings")
            total += earnings.count
            for function in [SourceFunction.cashFlow, .balanceSheet, .incomeStatement] {
                let reports = try records(function, symbol)
                XCTAssertEqual(reports.filter { $0.reportType == .annual }.count, 5, "\(symbol) \(function)")
                XCTAssertEqual(reports.filter { $0.reportType == .quarterly }.count, 20, "\(symbol) \(function)")
                total += reports.count
            }
            XCTAssertTrue((120...180).contains(total), "\(symbol): \(total) records")
            totals.append(total)
        }
        let average = Double(totals.reduce(0, +)) / Double(totals.count)
        XCTAssertEqual(average, 150, accuracy: 15)
        XCTAssertGreaterThan(Set(totals).count, 10, "histories vary per symbol")
    }

    func testFieldNamesAreExactlyAlphaVantages() throws {
        for symbol in generator.symbols(count: 8) {
            XCTAssertEqual(try records(.overview, symbol).first?.fields.map(\.name), PayloadParserTests.overviewFields)
            for record in try records(.earnings, symbol) {
                XCTAssertEqual(record.fields.map(\.name),
                               record.reportType == .annual ? Self.annualEarningsFields : Self.quarterlyEarningsFields)
            }
            for (function, fields) in Self.statementFields {
                for record in try records(function, symbol) {
                    XCTAssertEqual(record.fields.map(\.name), ["fiscalDateEnding", "reportedCurrency"] + fields)
                    XCTAssertEqual(value("reportedCurrency", in: record), "USD")
                }
            }
        }
    }

    func testTopLevelKeysAreAlphaVantages() throws {
        for function in SourceFunction.allCases {
            let object = try JSONSerialization.jsonObject(with: generator.payload(for: function, symbol: "ABC"))
            let keys = try XCTUnwrap(object as? [String: Any]).keys.sorted()
            switch function.reportListKeys {
            case nil: XCTAssertEqual(keys, PayloadParserTests.overviewFields.sorted())
            case let lists?: XCTAssertEqual(keys, [lists.annual, lists.quarterly, "symbol"].sorted())
            }
        }
    }

    func testDatesRunBackThroughRealQuarterEnds() throws {
        for symbol in generator.symbols(count: 25) {
            let overview = try XCTUnwrap(try records(.overview, symbol).first)
            let fiscalYearEnd = try XCTUnwrap(value("FiscalYearEnd", in: overview))
            let month = try XCTUnwrap(SampleCatalog.monthNames.firstIndex(of: fiscalYearEnd)) + 1
            for function in [SourceFunction.earnings, .cashFlow, .balanceSheet, .incomeStatement] {
                let reports = try records(function, symbol)
                for type in ReportType.allCases {
                    let dates = try reports.filter { $0.reportType == type }.map {
                        try XCTUnwrap(CalendarDate(try XCTUnwrap($0.fiscalDateEnding)))
                    }
                    XCTAssertEqual(dates, dates.sorted(by: >), "\(symbol) \(function) newest first")
                    for date in dates {
                        XCTAssertEqual(date.day, CalendarDate.numberOfDays(inMonth: date.month, year: date.year))
                        XCTAssertEqual((date.month - month + 12) % 3, 0, "\(symbol) quarter ends follow the fiscal year")
                        if type == .annual { XCTAssertEqual(date.month, month, "\(symbol) \(function)") }
                    }
                    for (newer, older) in zip(dates, dates.dropFirst()) {
                        let months = (newer.year - older.year) * 12 + newer.month - older.month
                        XCTAssertEqual(months, type == .annual ? 12 : 3, "\(symbol) \(function) has no gaps")
                    }
                }
                if function != .earnings {
                    XCTAssertEqual(reports.first { $0.reportType == .quarterly }?.fiscalDateEnding,
                                   value("LatestQuarter", in: overview))
                }
            }
        }
    }

    func testValuesLookLikeAlphaVantages() throws {
        var sawNone = false, sawNegative = false, sawDash = false, sawPaddedCIK = false
        for symbol in generator.symbols(count: 30) {
            let overview = try XCTUnwrap(try records(.overview, symbol).first)
            XCTAssertEqual(value("Symbol", in: overview), symbol)
            XCTAssertNotNil(CalendarDate(try XCTUnwrap(value("LatestQuarter", in: overview))))
            let cik = try XCTUnwrap(value("CIK", in: overview))
            XCTAssertTrue(cik.allSatisfy(\.isNumber), cik)
            sawPaddedCIK = sawPaddedCIK || (cik.hasPrefix("0") && cik.count == 10)
            sawDash = sawDash || overview.fields.contains { $0.value == "-" }
            XCTAssertGreaterThan(try XCTUnwrap(value("Description", in: overview)).count, 60)
            XCTAssertNotNil(Int64(try XCTUnwrap(value("MarketCapitalization", in: overview))))

            for function in [SourceFunction.cashFlow, .balanceSheet, .incomeStatement] {
                for record in try records(function, symbol) {
                    for field in record.fields.dropFirst(2) where field.hasValue {
                        let amount = try XCTUnwrap(Int64(field.value), "\(symbol) \(field.name) is a whole amount")
                        sawNegative = sawNegative || amount < 0
                    }
                    sawNone = sawNone || record.fields.contains { $0.value == "None" }
                }
            }
            let revenue = try records(.incomeStatement, symbol).compactMap { Int64(value("totalRevenue", in: $0) ?? "") }
            XCTAssertTrue(revenue.allSatisfy { $0 > 10_000_000 && $0 < 200_000_000_000 }, "\(symbol) revenue")

            let earnings = try records(.earnings, symbol)
            let quarters = earnings.filter { $0.reportType == .quarterly }
            XCTAssertEqual(value("estimatedEPS", in: try XCTUnwrap(quarters.last)), "None", "old quarters have no estimate")
            XCTAssertNotEqual(value("estimatedEPS", in: try XCTUnwrap(quarters.first)), "None")
            for quarter in quarters {
                XCTAssertTrue(["pre-market", "post-market"].contains(value("reportTime", in: quarter)))
                let reported = try XCTUnwrap(CalendarDate(try XCTUnwrap(value("reportedDate", in: quarter))))
                XCTAssertGreaterThan(reported, try XCTUnwrap(CalendarDate(try XCTUnwrap(quarter.fiscalDateEnding))))
                let eps = try XCTUnwrap(value("reportedEPS", in: quarter))
                XCTAssertNotNil(Double(eps), eps)
                XCTAssertEqual(eps.split(separator: ".").last?.count, 2, eps)
            }
        }
        XCTAssertTrue(sawNone, "statements carry the odd None")
        XCTAssertTrue(sawNegative, "some amounts are negative")
        XCTAssertTrue(sawDash, "some overviews have '-' values")
        XCTAssertTrue(sawPaddedCIK, "some CIKs have leading zeros")
    }

    func testABalanceSheetReportIsAboutOneKilobyte() throws {
        var bytes = 0, reports = 0
        for symbol in generator.symbols(count: 10) {
            let data = generator.payload(for: .balanceSheet, symbol: symbol)
            bytes += data.count
            reports += try records(.balanceSheet, symbol).count
        }
        XCTAssertEqual(Double(bytes) / Double(reports), 1_200, accuracy: 400)
    }

    func testAnnualStatementsAddUpTheirQuarters() throws {
        let symbol = "WXYZ"
        let reports = try records(.incomeStatement, symbol)
        let quarters = reports.filter { $0.reportType == .quarterly }
        for annual in reports.filter({ $0.reportType == .annual }) {
            guard let start = quarters.firstIndex(where: { $0.fiscalDateEnding == annual.fiscalDateEnding }),
                  start + 4 <= quarters.count else { continue }
            let parts = quarters[start..<start + 4].compactMap { Int64(value("totalRevenue", in: $0) ?? "") }
            guard parts.count == 4, let total = Int64(value("totalRevenue", in: annual) ?? "") else { continue }
            XCTAssertEqual(Double(total), Double(parts.reduce(0, +)), accuracy: 4)
        }
    }

    // MARK: Writing

    func testWriteCreatesTheDirectoryLayout() throws {
        let root = TemporaryDirectory()
        let symbols = try generator.write(assets: 3, to: root.url)
        XCTAssertEqual(symbols, generator.symbols(count: 3))
        let source = DirectorySource(root: root.url)
        XCTAssertEqual(try source.symbols(), symbols.sorted())
        for symbol in symbols {
            for function in SourceFunction.allCases {
                let url = root.url.appendingPathComponent(symbol).appendingPathComponent(function.fileName)
                XCTAssertEqual(try Data(contentsOf: url), generator.payload(for: function, symbol: symbol))
                XCTAssertNotNil(try? parsed(source.load(symbol: symbol, function: function)))
            }
        }
    }

    func testWriteReportsAFolderItCannotCreate() throws {
        let root = TemporaryDirectory()
        let file = try root.write("x", to: "file")
        XCTAssertThrowsError(try generator.write(assets: 1, to: URL(fileURLWithPath: file)))
    }

    // MARK: Helpers

    func testNumberText() {
        XCTAssertEqual(SampleNumberText.integer(1_234_567_890.4), "1234567890")
        XCTAssertEqual(SampleNumberText.integer(-2.5), "-3")
        XCTAssertEqual(SampleNumberText.decimal(2.125, places: 2), "2.13")
        XCTAssertEqual(SampleNumberText.decimal(-0.254, places: 3), "-0.254")
        XCTAssertEqual(SampleNumberText.decimal(-0.001, places: 2), "0.00")
        XCTAssertEqual(SampleNumberText.decimal(12.05, places: 1), "12.1")
        XCTAssertEqual(SampleNumberText.decimal(0.0267, places: 4), "0.0267")
        XCTAssertEqual(SampleNumberText.decimal(-7.6, places: 0), "-8")
    }

    func testTextBuilderEscapesWhatJSONRequires() throws {
        var json = JSONTextBuilder(capacity: 64)
        json.openObject()
        json.member("a\"b", "line\nbreak \\ \u{1} é")
        json.openArray(named: "list")
        json.openObject(onNewLine: true)
        json.closeObject()
        json.closeArray()
        json.closeObject()
        json.finish()
        let text = String(decoding: json.bytes, as: UTF8.self)
        XCTAssertEqual(text, "{\"a\\\"b\":\"line\\u000abreak \\\\ \\u0001 é\",\"list\":[\n{}]}\n")
        let object = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any]
        XCTAssertEqual(object?["a\"b"] as? String, "line\nbreak \\ \u{1} é")
    }

    func testSeededGeneratorRanges() {
        var random = SeededGenerator(seed: 1)
        for _ in 0..<1_000 {
            XCTAssertTrue((3...5).contains(random.int(in: 3...5)))
            let value = random.double(in: -1..<1)
            XCTAssertTrue(value >= -1 && value < 1)
        }
        XCTAssertEqual(SeededGenerator.label("abc"), 0xE71F_A219_0541_574B, "FNV-1a")
        var same = SeededGenerator(seed: 9, labels: 1, 2)
        var again = SeededGenerator(seed: 9, labels: 1, 2)
        XCTAssertEqual((0..<5).map { _ in same.next() }, (0..<5).map { _ in again.next() })
    }
}
