/// The `OVERVIEW` payload of a sample company: every field Alpha Vantage sends, in its order,
/// with market figures consistent with the latest four quarters and `"-"` or `"None"` where
/// a small company has no analysts, no dividend or no meaningful ratio.
extension SampleCompany {
    func overviewPayload() -> [UInt8] {
        var random = stream(.overview)
        let trailing = PeriodFlows(company: self, quarters: 0..<4)
        let sheet = BalanceSheetFigures(company: self, quarter: 0)
        let shares = shares(quarter: 0)
        // Summed in whole cents: adding rounded doubles can leave 1e-17 where the sum is zero,
        // and a price divided by that is no P/E ratio.
        let earningsCents = (0..<4).reduce(0.0) { $0 + (roundedEarningsPerShare(quarter: $1) * 100).rounded() }
        let earningsPerShare = earningsCents / 100
        let marketCapitalization = price * shares
        let bookValue = sheet.totalShareholderEquity / shares
        let enterpriseValue = marketCapitalization + sheet.shortLongTermDebtTotal - sheet.cash
        let priceEarnings = earningsCents >= 1 ? price / earningsPerShare : nil
        let latest = PeriodFlows(company: self, quarter: 0)
        let yearAgo = PeriodFlows(company: self, quarter: 4)
        let exDividendDate = quarterEnds[0].adding(days: random.int(in: 30...60))

        var fields = OverviewNumbers(json: JSONTextBuilder(capacity: 4_096))
        fields.json.openObject()
        fields.text("Symbol", symbol)
        fields.text("AssetType", "Common Stock")
        fields.text("Name", name)
        fields.text("Description", description)
        fields.text("CIK", cik)
        fields.text("Exchange", exchange)
        fields.text("Currency", "USD")
        fields.text("Country", "USA")
        fields.text("Sector", industry.sector)
        fields.text("Industry", industry.industry)
        fields.text("Address", address)
        fields.text("OfficialSite", officialSite)
        fields.text("FiscalYearEnd", SampleCatalog.monthNames[fiscalYearEndMonth - 1])
        fields.text("LatestQuarter", quarterEnds[0].description)
        fields.amount("MarketCapitalization", marketCapitalization)
        fields.amount("EBITDA", trailing.ebitda)
        fields.decimal("PERatio", priceEarnings, places: 2)
        fields.decimal("PEGRatio", priceEarnings.flatMap { annualGrowth > 0.01 ? $0 / (annualGrowth * 100) : nil },
                       places: 3)
        fields.decimal("BookValue", bookValue, places: 2)
        fields.decimal("DividendPerShare", dividendPerShare, places: 2)
        fields.decimal("DividendYield", dividendPerShare.map { $0 / price }, places: 4)
        fields.decimal("EPS", earningsPerShare, places: 2)
        fields.decimal("RevenuePerShareTTM", trailing.revenue / shares, places: 2)
        fields.decimal("ProfitMargin", trailing.netIncome / trailing.revenue, places: 3)
        fields.decimal("OperatingMarginTTM", latest.operatingIncome / latest.revenue, places: 3)
        fields.decimal("ReturnOnAssetsTTM", trailing.netIncome / sheet.totalAssets, places: 3)
        fields.decimal("ReturnOnEquityTTM", bookValue > 0 ? trailing.netIncome / sheet.totalShareholderEquity : nil,
                       places: 3)
        fields.amount("RevenueTTM", trailing.revenue)
        fields.amount("GrossProfitTTM", trailing.grossProfit)
        fields.decimal("DilutedEPSTTM", earningsPerShare * 0.99, places: 2)
        fields.decimal("QuarterlyEarningsGrowthYOY",
                       yearAgo.netIncome > 0 ? latest.netIncome / yearAgo.netIncome - 1 : nil, places: 3)
        fields.decimal("QuarterlyRevenueGrowthYOY", latest.revenue / yearAgo.revenue - 1, places: 3)
        fields.decimal("AnalystTargetPrice", hasAnalystCoverage ? price * random.double(in: 0.9..<1.35) : nil,
                       places: 2)
        for rating in ["AnalystRatingStrongBuy", "AnalystRatingBuy", "AnalystRatingHold", "AnalystRatingSell",
                       "AnalystRatingStrongSell"] {
            fields.count(rating, hasAnalystCoverage ? random.int(in: 0...14) : nil)
        }
        fields.decimal("TrailingPE", priceEarnings, places: 2)
        fields.decimal("ForwardPE", priceEarnings.map { $0 * random.double(in: 0.75..<1.05) }, places: 2)
        fields.decimal("PriceToSalesRatioTTM", marketCapitalization / trailing.revenue, places: 3)
        fields.decimal("PriceToBookRatio", bookValue > 0 ? price / bookValue : nil, places: 2)
        fields.decimal("EVToRevenue", enterpriseValue / trailing.revenue, places: 3)
        fields.decimal("EVToEBITDA", trailing.ebitda > 0 ? enterpriseValue / trailing.ebitda : nil, places: 2)
        fields.decimal("Beta", beta, places: 3)
        fields.decimal("52WeekHigh", price * random.double(in: 1.02..<1.45), places: 2)
        fields.decimal("52WeekLow", price * random.double(in: 0.55..<0.97), places: 2)
        fields.decimal("50DayMovingAverage", price * random.double(in: 0.94..<1.06), places: 2)
        fields.decimal("200DayMovingAverage", price * random.double(in: 0.88..<1.12), places: 2)
        fields.amount("SharesOutstanding", shares)
        let paysDividends = dividendPerShare != nil
        fields.date("DividendDate", paysDividends ? exDividendDate?.adding(days: 14) : nil)
        fields.date("ExDividendDate", paysDividends ? exDividendDate : nil)
        fields.json.closeObject(onNewLine: true)
        fields.json.finish()
        return fields.json.bytes
    }
}

/// The overview being written, one field per line; a missing figure is `"-"` where Alpha
/// Vantage writes a dash (analyst data) and `"None"` elsewhere.
private struct OverviewNumbers {
    var json: JSONTextBuilder

    mutating func text(_ name: String, _ value: String) {
        json.member(name, value, onNewLine: true)
    }

    mutating func amount(_ name: String, _ value: Double) {
        json.member(name, SampleNumberText.integer(value), onNewLine: true)
    }

    mutating func decimal(_ name: String, _ value: Double?, places: Int) {
        json.member(name, value.map { SampleNumberText.decimal($0, places: places) } ?? "None", onNewLine: true)
    }

    mutating func count(_ name: String, _ value: Int?) {
        json.member(name, value.map(String.init) ?? "-", onNewLine: true)
    }

    mutating func date(_ name: String, _ value: CalendarDate?) {
        json.member(name, value?.description ?? "None", onNewLine: true)
    }
}
