/// The three statement payloads (`INCOME_STATEMENT`, `BALANCE_SHEET`, `CASH_FLOW`) of a sample
/// company: five annual and twenty quarterly reports, newest first, fields in Alpha Vantage's
/// order, with the odd `"None"` where a real filing leaves a line empty.
extension SampleCompany {
    static let annualStatementCount = 5
    static let quarterlyStatementCount = 20
    /// How often a statement line is `"None"` although the company has the figure.
    static let missingLineChance = 0.015

    func statementPayload(_ function: SourceFunction) -> [UInt8] {
        var report = StatementLines(json: JSONTextBuilder(capacity: 48_000), random: stream(.report))
        report.json.openObject()
        report.json.member("symbol", symbol)
        report.json.openArray(named: "annualReports")
        for year in 0..<Self.annualStatementCount {
            writeStatement(function, quarters: fiscalYear(year), salt: 1, to: &report)
        }
        report.json.closeArray()
        report.json.openArray(named: "quarterlyReports")
        for quarter in 0..<Self.quarterlyStatementCount {
            writeStatement(function, quarters: quarter..<quarter + 1, salt: 2, to: &report)
        }
        report.json.closeArray()
        report.json.closeObject()
        report.json.finish()
        return report.json.bytes
    }

    private func writeStatement(_ function: SourceFunction, quarters: Range<Int>, salt: UInt64,
                                to report: inout StatementLines) {
        report.random = stream(.report, quarter: quarters.lowerBound,
                               salt: SeededGenerator.label(function.rawValue) &+ salt)
        report.json.openObject(onNewLine: true)
        report.json.member("fiscalDateEnding", quarterEnds[quarters.lowerBound].description)
        report.json.member("reportedCurrency", "USD")
        switch function {
        case .incomeStatement: writeIncomeStatement(PeriodFlows(company: self, quarters: quarters), to: &report)
        case .balanceSheet: writeBalanceSheet(BalanceSheetFigures(company: self, quarter: quarters.lowerBound), to: &report)
        case .cashFlow: writeCashFlow(PeriodFlows(company: self, quarters: quarters), to: &report)
        case .overview, .earnings: break
        }
        report.json.closeObject()
    }

    private func writeIncomeStatement(_ flows: PeriodFlows, to report: inout StatementLines) {
        report.line("grossProfit", flows.grossProfit)
        report.line("totalRevenue", flows.revenue)
        report.line("costOfRevenue", flows.costOfRevenue)
        report.line("costofGoodsAndServicesSold", flows.costOfRevenue * 0.97)
        report.line("operatingIncome", flows.operatingIncome)
        report.line("sellingGeneralAndAdministrative", flows.selling)
        report.line("researchAndDevelopment", industry.doesResearch ? flows.research : nil)
        report.line("operatingExpenses", flows.operatingExpenses)
        report.line("investmentIncomeNet", flows.interestIncome * 0.4)
        report.line("netInterestIncome", flows.interestIncome - flows.interestExpense)
        report.line("interestIncome", flows.interestIncome)
        report.line("interestExpense", flows.interestExpense)
        report.line("nonInterestIncome", industry.sector == "FINANCE" ? flows.revenue * 0.3 : nil)
        report.line("otherNonOperatingIncome", flows.otherNonOperating)
        report.line("depreciation", flows.depreciation * 0.8)
        report.line("depreciationAndAmortization", flows.depreciation)
        report.line("incomeBeforeTax", flows.incomeBeforeTax)
        report.line("incomeTaxExpense", flows.incomeTax)
        report.line("interestAndDebtExpense", flows.interestExpense)
        report.line("netIncomeFromContinuingOperations", flows.netIncome)
        report.line("comprehensiveIncomeNetOfTax", flows.netIncome + flows.revenue * 0.004)
        report.line("ebit", flows.ebit)
        report.line("ebitda", flows.ebitda)
        report.line("netIncome", flows.netIncome)
    }

    private func writeBalanceSheet(_ sheet: BalanceSheetFigures, to report: inout StatementLines) {
        report.line("totalAssets", sheet.totalAssets)
        report.line("totalCurrentAssets", sheet.totalCurrentAssets)
        report.line("cashAndCashEquivalentsAtCarryingValue", sheet.cash)
        report.line("cashAndShortTermInvestments", sheet.cashAndShortTermInvestments)
        report.line("inventory", industry.holdsInventory ? sheet.inventory : nil)
        report.line("currentNetReceivables", sheet.receivables)
        report.line("totalNonCurrentAssets", sheet.totalNonCurrentAssets)
        report.line("propertyPlantEquipment", sheet.propertyPlantEquipment)
        report.line("accumulatedDepreciationAmortizationPPE", sheet.accumulatedDepreciation)
        report.line("intangibleAssets", sheet.intangibleAssets)
        report.line("intangibleAssetsExcludingGoodwill", sheet.intangiblesExcludingGoodwill)
        report.line("goodwill", sheet.goodwill)
        report.line("investments", sheet.investments)
        report.line("longTermInvestments", sheet.longTermInvestments)
        report.line("shortTermInvestments", sheet.shortTermInvestments)
        report.line("otherCurrentAssets", sheet.otherCurrentAssets)
        report.line("otherNonCurrentAssets", sheet.otherNonCurrentAssets)
        report.line("totalLiabilities", sheet.totalLiabilities)
        report.line("totalCurrentLiabilities", sheet.totalCurrentLiabilities)
        report.line("currentAccountsPayable", sheet.payables)
        report.line("deferredRevenue", sheet.deferredRevenue)
        report.line("currentDebt", sheet.shortTermDebt)
        report.line("shortTermDebt", sheet.shortTermDebt)
        report.line("totalNonCurrentLiabilities", sheet.totalNonCurrentLiabilities)
        report.line("capitalLeaseObligations", sheet.capitalLeases)
        report.line("longTermDebt", sheet.longTermDebtNoncurrent + sheet.shortTermDebt)
        report.line("currentLongTermDebt", sheet.shortTermDebt * 0.8)
        report.line("longTermDebtNoncurrent", sheet.longTermDebtNoncurrent)
        report.line("shortLongTermDebtTotal", sheet.shortLongTermDebtTotal)
        report.line("otherCurrentLiabilities", sheet.otherCurrentLiabilities)
        report.line("otherNonCurrentLiabilities", sheet.otherNonCurrentLiabilities)
        report.line("totalShareholderEquity", sheet.totalShareholderEquity)
        report.line("treasuryStock", buybackRatio > 0 ? sheet.treasuryStock : nil)
        report.line("retainedEarnings", sheet.retainedEarnings)
        report.line("commonStock", sheet.commonStock)
        report.line("commonStockSharesOutstanding", sheet.shares)
    }

    private func writeCashFlow(_ flows: PeriodFlows, to report: inout StatementLines) {
        let hasBuybacks = buybackRatio > 0
        let paysDividends = dividendPerShare != nil
        report.line("operatingCashflow", flows.operatingCashflow)
        report.line("paymentsForOperatingActivities", flows.revenue * 0.01)
        report.line("proceedsFromOperatingActivities", nil)
        report.line("changeInOperatingLiabilities", flows.workingCapitalChange * 0.6)
        report.line("changeInOperatingAssets", flows.workingCapitalChange * -0.4)
        report.line("depreciationDepletionAndAmortization", flows.depreciation)
        report.line("capitalExpenditures", flows.capitalExpenditures)
        report.line("changeInReceivables", flows.receivablesChange)
        report.line("changeInInventory", industry.holdsInventory ? flows.inventoryChange : nil)
        report.line("profitLoss", flows.netIncome)
        report.line("cashflowFromInvestment", flows.cashflowFromInvestment)
        report.line("cashflowFromFinancing", flows.cashflowFromFinancing)
        report.line("proceedsFromRepaymentsOfShortTermDebt", flows.debtIssuance * 0.2)
        report.line("paymentsForRepurchaseOfCommonStock", hasBuybacks ? flows.buybacks : nil)
        report.line("paymentsForRepurchaseOfEquity", hasBuybacks ? flows.buybacks : nil)
        report.line("paymentsForRepurchaseOfPreferredStock", nil)
        report.line("dividendPayout", paysDividends ? flows.dividends : nil)
        report.line("dividendPayoutCommonStock", paysDividends ? flows.dividends : nil)
        report.line("dividendPayoutPreferredStock", nil)
        report.line("proceedsFromIssuanceOfCommonStock", flows.stockIssuance)
        report.line("proceedsFromIssuanceOfLongTermDebtAndCapitalSecuritiesNet", flows.debtIssuance)
        report.line("proceedsFromIssuanceOfPreferredStock", nil)
        report.line("proceedsFromRepurchaseOfEquity", hasBuybacks ? -flows.buybacks : nil)
        report.line("proceedsFromSaleOfTreasuryStock", nil)
        report.line("changeInCashAndCashEquivalents",
                    flows.operatingCashflow + flows.cashflowFromInvestment + flows.cashflowFromFinancing)
        report.line("changeInExchangeRate", nil)
        report.line("netIncome", flows.netIncome)
    }
}

/// A statement payload being written, and the random stream of the report at hand.
private struct StatementLines {
    var json: JSONTextBuilder
    var random: SeededGenerator

    /// `amount` as a whole number; `"None"` when there is none, and now and then although there is.
    mutating func line(_ name: String, _ amount: Double?) {
        let missing = random.chance(SampleCompany.missingLineChance)
        json.member(name, amount: missing ? nil : amount)
    }
}
